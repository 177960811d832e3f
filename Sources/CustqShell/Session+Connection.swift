import CustqDiagnostics
import CustqEngine
import CustqPostgres
import CustqStore
import CustqText

/// The live mode: `custq postgresql://…` or `.connect URL`. The database's tables join the
/// loaded ones with their columns and no rows; a query on them is written as PostgreSQL SQL
/// and run there (Engine, "rows elsewhere"). `.load TABLE` copies one in.
extension Session {
    /// Whether a command-line argument or `.load` argument is a database, not a file.
    static func isDatabaseURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }

    /// Connects and lists the database's tables as custq tables, in place of a former
    /// connection's and of loaded tables of the same names. Returns false on failure.
    @discardableResult
    public func connect(_ url: String) -> Bool {
        let started = Self.now()
        let made: PostgresConnection
        let tables: [Table]
        do throws(RowSourceError) {
            made = try PostgresConnection(url)
            tables = try made.tables()
        } catch {
            report(.error("could not connect to \(Self.withoutPassword(url)): \(error.message)",
                          help: "a URL as libpq reads it: postgresql://USER@HOST:PORT/DATABASE, or postgresql:///DATABASE?host=/SOCKET/DIR"))
            return false
        }
        for earlier in catalog.tables where earlier.rowsElsewhere != nil { engine.catalog.remove(named: earlier.name) }
        for table in tables {
            engine.catalog.remove(named: table.name)
            sourceFiles[table.name.lowercased()] = nil
            _ = engine.catalog.add(table)
        }
        let names = tables.map(\.name)
        message("connected to \(made.location) in \(Self.formatSeconds(Self.now() - started)): "
                + (names.isEmpty ? "no tables" : Plural.count(names.count, "table") + " (" + names.joined(separator: ", ") + ")")
                + "; queries on them run there as PostgreSQL SQL")
        prepareOrders()
        return true
    }

    /// `.load TABLE` on a connection: the table's rows copied in (in the order of its key,
    /// when it declares one), to query here like a loaded file.
    func copyIn(_ remote: Table, as name: String?) -> Bool {
        guard let source = remote.rowsElsewhere else { return false }
        let started = Self.now()
        let q = SQLDialect.postgres.quote
        var sql = "SELECT * FROM \(q(remote.name))"
        if let key = remote.columns.first(where: { $0.declaredUnique == true }) { sql += " ORDER BY \(q(key.name))" }
        var copied: Table
        do throws(RowSourceError) {
            copied = try source.rows(sql, shouldStop: interruptCheck)
        } catch {
            if error.wasCancelled {
                console.writeError((console.errorIsTerminal ? "\n" : "") + "interrupted: \(remote.name) was not copied\n")
            } else {
                report(.error("could not copy \(remote.name) from \(source.location): \(error.message)"))
            }
            return false
        }
        // The copy keeps the database's types; its values now say what is unique.
        copied.name = name ?? remote.name
        copied.source = source.location
        if name == nil || name?.lowercased() == remote.name.lowercased() { engine.catalog.remove(named: remote.name) }
        engine.catalog.remove(named: copied.name)
        _ = engine.catalog.add(copied)
        message("copied \(copied.name): \(Plural.count(copied.rowCount, "row")), \(Plural.count(copied.columns.count, "column")) "
                + "from \(source.location) in \(Self.formatSeconds(Self.now() - started)); queries on it run here")
        prepareOrders()
        _ = engine.latestOrderDay
        return true
    }

    /// A URL for messages: the password (`user:secret@`) left out.
    static func withoutPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let user = url[scheme.upperBound..<at]
        guard let colon = user.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":…" + String(url[at...])
    }
}
