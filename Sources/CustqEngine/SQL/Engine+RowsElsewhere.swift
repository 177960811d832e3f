import CustqDiagnostics
import CustqLanguage
import CustqResult
import CustqStore

/// Tables whose rows are in a database (`custq postgresql://…`): each query is written as
/// SQL and run there, and the few facts the customer model reads from rows (the latest
/// order date, whether orders are lines, a churn flag's values) are counted there too.
/// Nothing is copied into memory unless the user asks (`.load TABLE`).
extension Engine {
    static func dialect(of source: any RowSource) -> SQLDialect {
        SQLDialect(rawValue: source.dialectName) ?? .postgres
    }

    /// A query on a table held elsewhere: its SQL, run where the rows are, and the rows
    /// back as a result with the notes custq gives the same query on loaded rows.
    func runElsewhere(_ query: Query, runner: QueryRunner, source rows: any RowSource, statement: Statement,
                      source: String) throws(EngineError) -> QueryResult {
        let plan = try runner.bind(query)
        let dialect = Self.dialect(of: rows)
        let writer = SQLWriter(dialect: dialect, runner: runner, today: todaySQL(dialect), computed: computedOrderColumns(dialect))
        let sql: String
        do {
            sql = try writer.write(plan)
        } catch {
            throw .statement(LanguageError("this query cannot run on \(rows.location): \(error.reason)", statement.range,
                                           help: "copy the table in with .load \(runner.table.name), and the query runs here"))
        }
        let answer: Table
        do {
            answer = try rows.rows(sql, shouldStop: shouldStop)
        } catch {
            if error.wasCancelled { throw .interrupted }
            throw .elsewhere(ElsewhereFailure(location: rows.location, error: error, sql: sql))
        }
        var result: QueryResult
        switch plan.form {
        case .describe: result = Self.described(answer)
        case .cohort(let cohorting):
            let cohorts = try cohortRows(answer, cohorting.period, range: statement.range)
            result = Cohort.table(cohorts, period: cohorting.period, span: cohorts.map(\.active.count).max() ?? 0)
            result.notes.append(.asOf(day: runner.today, source: asOfSource, ordersLeftOut: ordersAfterAsOf))
            result.notes.append(.cohorts(customers: cohorts.reduce(0) { $0 + $1.customers }, period: cohorting.period.rawValue))
            if let undated = try ordersWithoutDate(cohorting, plan: plan, runner: runner, rows: rows), undated > 0 {
                result.notes.append(.ordersWithoutDate(count: undated, column: runner.table.columns[cohorting.date].name))
            }
        case .periods(let periods):
            result = QueryResult(table: PeriodTable.withUnits(answer), rowsScanned: 0, rowsMatched: 0)
            result.notes.append(.asOf(day: runner.today, source: asOfSource, ordersLeftOut: ordersAfterAsOf))
            let period = periods.orders.period.rawValue
            result.notes.append(periods.measure == .retention ? .periodRetention(period: period) : .periodGrowth(period: period))
        default: result = QueryResult(table: Self.withUnits(answer, of: plan), rowsScanned: 0, rowsMatched: 0)
        }
        if let title = plan.chartTitle, result.table.columns.count >= 2 { result.chart = .bars(title: title) }
        if runner.usage.readsToday || runner.usage.readsOrders {
            result.notes.append(.asOf(day: runner.today, source: asOfSource, ordersLeftOut: ordersAfterAsOf))
        }
        result.notes += runner.usage.flagRules
        plan.segments?.apply(to: &result)
        // How many rows the database read is its own affair: no `N of M matched` line.
        result.matched = nil
        return result
    }

    /// describe's rows from the database as custq's statistics table: a decimal's min and
    /// max (the engine's text of the number) written as custq writes the same double.
    private static func described(_ answer: Table) -> QueryResult {
        let cells = answer.columns.map { column in (0..<answer.rowCount).map { column.exactText(at: $0) } }
        guard cells.count == QueryResult.statisticsHeaders.count else { return QueryResult(describing: []) }
        let statistics = (0..<answer.rowCount).map { row in
            let type = cells[1][row] ?? ""
            func value(_ text: String?) -> ColumnStatistics.Value? {
                guard let text else { return nil }
                switch type {
                case "integer": return Int64(text).map { .integer($0) } ?? .text(text)
                case "decimal": return Double(text).map { .decimal($0) } ?? .text(text)
                default: return .text(text)
                }
            }
            var s = ColumnStatistics(name: cells[0][row] ?? "", type: type, count: cells[2][row].flatMap { Int($0) } ?? 0,
                                     nulls: cells[3][row].flatMap { Int($0) } ?? 0)
            s.distinct = cells[4][row].flatMap { Int($0) }
            s.min = value(cells[5][row])
            (s.p25, s.median, s.p75) = (cells[6][row].flatMap { Double($0) }, cells[7][row].flatMap { Double($0) },
                                        cells[8][row].flatMap { Double($0) })
            s.max = value(cells[9][row])
            (s.mean, s.std) = (cells[10][row].flatMap { Double($0) }, cells[11][row].flatMap { Double($0) })
            return s
        }
        var result = QueryResult(describing: statistics)
        // The most frequent values come as the text custq writes for them.
        let top = result.table.columns.count - 1
        var column = answer.columns[top]
        column.unit = result.table.columns[top].unit
        result.table = result.table.replacing(column: top, with: column)
        return result
    }

    /// The orders a cohort table left out for having no date, counted on the database.
    private func ordersWithoutDate(_ cohorting: BoundQuery.Cohorting, plan: BoundQuery, runner: QueryRunner,
                                   rows: any RowSource) throws(EngineError) -> Int? {
        let dialect = Self.dialect(of: rows)
        let writer = SQLWriter(dialect: dialect, runner: runner, today: todaySQL(dialect), computed: computedOrderColumns(dialect))
        guard let sql = try? writer.ordersWithoutDate(cohorting, filter: plan.filter?.condition) else { return nil }
        do {
            let answer = try rows.rows(sql, shouldStop: shouldStop)
            return answer.rowCount == 1 ? answer.columns.first?.exactText(at: 0).flatMap { Int($0) } : nil
        } catch {
            if error.wasCancelled { throw .interrupted }
            throw .elsewhere(ElsewhereFailure(location: rows.location, error: error, sql: sql))
        }
    }

    /// The cohorts in the database's rows (cohort, customers, period since, percent active:
    /// one row per cohort and known period), for the wide table custq shows.
    private func cohortRows(_ answer: Table, _ period: CohortPeriod, range: SourceRange) throws(EngineError) -> [Cohort.Row] {
        guard answer.columns.count == 4 else { return [] }
        var cohorts: [Cohort.Row] = []
        var label: String?, customers = 0, active: [Double] = []
        func close() { if let label { cohorts.append(Cohort.Row(label: label, customers: customers, active: active)) } }
        for row in 0..<answer.rowCount {
            let name = answer.columns[0].exactText(at: row) ?? ""
            if name != label {
                close()
                (label, customers, active) = (name, answer.columns[1].exactText(at: row).flatMap { Int($0) } ?? 0, [])
            }
            active.append(answer.columns[3].exactText(at: row).flatMap { Double($0) } ?? 0)
        }
        close()
        let span = cohorts.map(\.active.count).max() ?? 0
        guard span <= Cohort.maxPeriods else {
            throw .statement(LanguageError("the orders span \(span) \(period.rawValue)s, more than a cohort table can show (\(Cohort.maxPeriods))",
                                           range, help: period == .year ? nil : "try cohort by year"))
        }
        return cohorts
    }

    /// The answer's columns with the units custq shows them in (percent, money), by name.
    private static func withUnits(_ answer: Table, of plan: BoundQuery) -> Table {
        var units: [String: ColumnUnit] = [:]
        func note(_ output: BoundQuery.Output) { if units[output.name.lowercased()] == nil { units[output.name.lowercased()] = output.unit } }
        switch plan.form {
        case .top(let ranking): note(ranking.key); ranking.extra.forEach(note)
        case .show(let listing): listing.columns.forEach(note)
        case .aggregate(let summary): summary.groups.forEach(note); summary.items.forEach(note)
        default: break
        }
        var table = answer
        for (index, column) in answer.columns.enumerated() {
            guard let unit = units[column.name.lowercased()], unit != .none else { continue }
            var column = column
            column.unit = unit
            table = table.replacing(column: index, with: column)
        }
        return table
    }

    /// One row of facts counted where `table`'s rows are, as text; nil when they are here.
    func facts(_ sql: String, of table: Table) throws(RowSourceError) -> [String?]? {
        guard let source = table.rowsElsewhere else { return nil }
        let answer = try source.rows(sql, shouldStop: shouldStop)
        guard answer.rowCount == 1 else { return [] }
        return answer.columns.map { $0.exactText(at: 0) }
    }

    /// The orders' facts for the order-lines model, counted on the database.
    func orderFacts(_ model: OrderLines, of orders: Table) throws(Diagnostic) -> OrderLines.Facts? {
        guard let source = orders.rowsElsewhere, let sql = model.factsSQL(orders, dialect: Self.dialect(of: source)) else { return nil }
        do throws(RowSourceError) {
            let counts = try facts(sql, of: orders)?.map { $0.flatMap { Int($0) } ?? 0 } ?? []
            guard counts.count == 6 else { throw RowSourceError("the counts came back in an unexpected shape") }
            return OrderLines.Facts(rows: counts[0], ids: counts[1], distinctIDs: counts[2], cancelledRows: counts[3],
                                    cancelledOrders: counts[4], returnLines: counts[5])
        } catch {
            throw Diagnostic.error("could not count \(orders.name)'s orders and lines on \(source.location): \(error.message)",
                                   help: "check the connection, or copy the table in with .load \(orders.name)")
        }
    }

    /// The latest order date on the database; nil when it cannot say.
    func latestDay(in orders: Table, date: Column) -> Int32? {
        guard let source = orders.rowsElsewhere, !orders.addedColumns.contains(date.name) else { return nil }
        let q = Self.dialect(of: source).quote
        guard let row = try? facts("SELECT max(\(q(date.name))) FROM \(q(orders.name))", of: orders),
              let text = row.first ?? nil, let day = CivilDate.dayNumber(isoText: text) else { return nil }
        return Int32(day)
    }

    /// How many orders of a customer are dated after `day`, counted on the database.
    func ordersAfter(_ day: Int32, in orders: Table, date: Column, key: Column?) -> Int? {
        guard let source = orders.rowsElsewhere, !orders.addedColumns.contains(date.name) else { return nil }
        let dialect = Self.dialect(of: source), q = dialect.quote
        var sql = "SELECT count(*) FROM \(q(orders.name)) WHERE \(q(date.name)) > \(dialect.date(day))"
        if let key { sql += " AND \(q(key.name)) IS NOT NULL" }
        guard let row = try? facts(sql, of: orders), let text = row.first ?? nil else { return nil }
        return Int(text)
    }

    /// Up to `limit` different values of a column on the database, in byte order.
    static func distinctValues(of column: Column, in table: Table, limit: Int) throws(RowSourceError) -> [String] {
        guard let source = table.rowsElsewhere else { return [] }
        let dialect = Self.dialect(of: source), q = dialect.quote
        let answer = try source.rows("SELECT DISTINCT \(q(column.name)) FROM \(q(table.name)) WHERE \(q(column.name)) IS NOT NULL "
                                     + "ORDER BY 1\(column.type == .string ? dialect.byteOrder : "") LIMIT \(limit)",
                                     shouldStop: nil)
        guard let values = answer.columns.first else { return [] }
        return (0..<answer.rowCount).compactMap { values.exactText(at: $0) }
    }
}
