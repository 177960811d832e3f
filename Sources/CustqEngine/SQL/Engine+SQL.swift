import CustqLanguage
import CustqStore

extension Engine {
    /// The SQL of each query in `source` for `dialect`, in order. Definitions are made as
    /// they come (so a script's `define` changes the SQL after it); any other statement, and
    /// a query the dialect cannot say exactly, stops with the reason.
    public func sql(_ source: String, dialect: SQLDialect) throws(EngineError) -> [String] {
        var written: [String] = []
        var failure: EngineError?
        DeepStack.run {
            do throws(EngineError) {
                let statements = try binding { () throws(LanguageError) in try Parser.parse(source) }
                for statement in statements {
                    switch statement.kind {
                    case .define, .undefine:
                        _ = try self.run(statement, source: source)
                    case .query(let query):
                        written.append(try self.sql(for: query, in: statement, source: source, dialect: dialect))
                    default:
                        throw .statement(LanguageError("only queries are written as SQL; this statement runs in custq itself",
                                                       statement.range))
                    }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return written
    }

    private func sql(for query: Query, in statement: Statement, source: String, dialect: SQLDialect) throws(EngineError) -> String {
        let runner = try runner(for: query, in: statement, source: source)
        let plan = try runner.bind(query)
        let writer = SQLWriter(dialect: dialect, runner: runner, today: todaySQL(dialect), computed: computedOrderColumns(dialect))
        do {
            return try writer.write(plan)
        } catch {
            throw .statement(LanguageError("this query cannot be written as \(dialect.displayName): \(error.reason)", statement.range))
        }
    }

    /// The SQL of the columns the order-lines model adds to the orders table.
    func computedOrderColumns(_ dialect: SQLDialect) -> (table: String, columns: [String: String])? {
        guard let lines = orderLines else { return nil }
        return (lines.orders, lines.model.computedSQL(lines.read, dialect: dialect))
    }

    /// `today()` in SQL: the `.asof` date as written; else the latest order date, read from
    /// the orders where the SQL runs; else the engine's own current date.
    func todaySQL(_ dialect: SQLDialect) -> String {
        if let asOf { return dialect.date(asOf) }
        if latestOrderDay != nil, let orders = catalog.table(named: Self.ordersTableName),
           let date = orders.column(named: Self.orderDateColumn) {
            return "(SELECT max(\(dialect.quote(date.name))) FROM \(dialect.quote(orders.name)))"
        }
        return "CURRENT_DATE"
    }

    /// CREATE TABLE statements for the loaded tables (or those named) in `dialect`, columns
    /// as custq read them; the columns custq computes for the orders are left out.
    public func sqlSchema(_ dialect: SQLDialect, tables names: [String] = []) -> [String] {
        // The customers custq makes from the orders are no table of their own there.
        catalog.tables.filter { (names.isEmpty || names.contains($0.name)) && !$0.source.hasPrefix(Self.derivedSource) }.map { table in
            let columns = table.columns.filter { !table.addedColumns.contains($0.name) }
                .map { "  \(dialect.quote($0.name)) \(dialect.type(of: $0.type))" }
            return "CREATE TABLE \(dialect.quote(table.name)) (\n" + columns.joined(separator: ",\n") + "\n)"
        }
    }
}
