import CLibPQ
import CustqStore
import Glibc

/// A connection to a PostgreSQL server through libpq: the database's tables as custq
/// tables (columns and types, no rows), and statements run there with their rows read
/// back as typed columns. One statement at a time, from one thread.
public final class PostgresConnection: RowSource, @unchecked Sendable {
    private let connection: OpaquePointer
    public let location: String
    public let dialectName = "postgres"

    /// Connects with a libpq connection string or URL (`postgresql://user@host:port/db`,
    /// `postgresql:///db?host=/socket/dir`); the session reads dates as ISO, instants in
    /// UTC, text as UTF-8.
    public init(_ url: String) throws(RowSourceError) {
        guard let made = PQconnectdb(url) else { throw RowSourceError("libpq could not allocate a connection") }
        guard PQstatus(made) == CONNECTION_OK else {
            let message = Self.trimmed(String(cString: PQerrorMessage(made)))
            PQfinish(made)
            throw RowSourceError(message.isEmpty ? "could not connect" : message)
        }
        connection = made
        var place = "postgresql://"
        if let user = PQuser(made).map({ String(cString: $0) }), !user.isEmpty { place += user + "@" }
        let host = PQhost(made).map { String(cString: $0) } ?? ""
        // A socket directory is a path: given as ?host= in a URL, as libpq reads it.
        let port = PQport(made).map { String(cString: $0) } ?? ""
        let database = PQdb(made).map { String(cString: $0) } ?? ""
        if host.hasPrefix("/") {
            place += "/\(database)?host=\(host)" + (port.isEmpty ? "" : "&port=\(port)")
        } else {
            place += host + (port.isEmpty ? "" : ":\(port)") + "/\(database)"
        }
        location = place
        PQsetClientEncoding(made, "UTF8")
        _ = try rows("SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = iso_8601; SET extra_float_digits = 3",
                     shouldStop: nil)
    }

    deinit { PQfinish(connection) }

    // MARK: the catalog

    /// The tables and views the search path shows (not the system's), each with its columns
    /// in order, typed as custq holds them, and no rows. A column is unique when a unique
    /// index (a primary key's included) is on it alone, without a condition.
    public func tables() throws(RowSourceError) -> [Table] {
        let catalog = try rows("""
            SELECT c.relname::text, a.attname::text, a.atttypid::bigint,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indnkeyatts = 1
                           AND i.indkey[0] = a.attnum AND i.indpred IS NULL) AS is_unique
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND pg_table_is_visible(c.oid)
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY c.relname COLLATE "C", a.attnum
            """, shouldStop: nil)
        var tables: [Table] = []
        var name: String?
        var columns: [Column] = []
        func finish() {
            guard let name else { return }
            var table = Table(name: name, columns: columns, rowCount: 0, source: location)
            table.rowsElsewhere = self
            tables.append(table)
        }
        for row in 0..<catalog.rowCount {
            let tableName = catalog.columns[0].exactText(at: row) ?? ""
            if tableName != name {
                finish()
                name = tableName
                columns = []
            }
            let type = PostgresTypes.columnType(of: UInt32(catalog.columns[2].exactText(at: row) ?? "") ?? 0)
            var column = PostgresTypes.emptyColumn(named: catalog.columns[1].exactText(at: row) ?? "", type)
            column.declaredUnique = catalog.columns[3].exactText(at: row) == "true"
            columns.append(column)
        }
        finish()
        return tables
    }

    // MARK: statements

    /// Runs `sql` (one statement, or several of which the last gives the rows) and reads the
    /// last result's rows. Waits on the socket a tenth of a second at a time, asking
    /// `shouldStop` between; a yes sends the server a cancel request.
    public func rows(_ sql: String, shouldStop: (@Sendable () -> Bool)?) throws(RowSourceError) -> Table {
        guard PQsendQuery(connection, sql) == 1 else { throw lastError() }
        var cancelled = false
        var failure: (error: RowSourceError, sqlState: String?)?
        var answer = Table(name: "result", columns: [], rowCount: 0)
        while true {
            while PQisBusy(connection) == 1 {
                if !cancelled, shouldStop?() == true {
                    cancelled = true
                    cancel()
                }
                var socket = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
                _ = poll(&socket, 1, 100)
                guard PQconsumeInput(connection) == 1 else { throw lastError() }
            }
            guard let result = PQgetResult(connection) else { break }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK:
                if failure == nil {
                    do { answer = try PostgresTypes.table(of: result) } catch { failure = (error, nil) }
                }
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                break
            default:
                if failure == nil { failure = Self.error(of: result, sql: sql) }
            }
        }
        if let failure {
            if cancelled, failure.sqlState == "57014" { throw .cancelled }
            throw failure.error
        }
        if cancelled { throw .cancelled }
        return answer
    }

    /// Asks the server to stop the statement running now.
    private func cancel() {
        guard let request = PQgetCancel(connection) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(request, &buffer, Int32(buffer.count))
        PQfreeCancel(request)
    }

    private func lastError() -> RowSourceError {
        RowSourceError(Self.trimmed(String(cString: PQerrorMessage(connection))))
    }

    private static func error(of result: OpaquePointer, sql: String) -> (error: RowSourceError, sqlState: String?) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        var error = RowSourceError(field("M") ?? trimmed(String(cString: PQresultErrorMessage(result))),
                                   detail: field("D"), hint: field("H"))
        // The server counts characters from 1; custq's position is a byte offset.
        if let position = field("P").flatMap(Int.init), position >= 1 {
            error.position = String(String.UnicodeScalarView(sql.unicodeScalars.prefix(position - 1))).utf8.count
        }
        return (error, field("C"))
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.hasPrefix("ERROR:  ") { text = text.dropFirst(8) }
        // libpq continues a message on tab-indented lines: one line here.
        return text.split(separator: "\n").map { String($0.drop { $0 == "\t" || $0 == " " }) }.joined(separator: " ")
    }
}

