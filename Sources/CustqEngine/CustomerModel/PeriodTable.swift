import CustqDiagnostics
import CustqLanguage
import CustqResult
import CustqStore

/// `retention [by PERIOD]` and `growth [by PERIOD]` on the orders: a row per period from the
/// first counted order's to the as-of date's (METRICS.md C2, C3, D10).
///
/// Retention counts purchases (cancellations and returns are none), each customer once per
/// period: active = customers with an order in the period; new = those whose first order is
/// in it; retained = active in the previous period too; reactivated = the others. The
/// retention rate is the form for transaction data, |active(P−1) ∩ active(P)| / |active(P−1)|;
/// churn is 100 − it; the contractual (E − N)/S form, (active − new) / active(P−1), is shown
/// beside it and labelled, since on orders it counts reactivated customers as retained.
///
/// Growth: new customers per period, the revenue of the order lines dated in the period
/// (returns and cancellations net off, as monetary), and its growth over the previous period.
struct PeriodTable {
    let runner: QueryRunner

    func bind(_ measure: PeriodMeasure, _ period: CohortPeriod) throws(EngineError) -> BoundQuery.Periods {
        let cohorting = try Cohort(runner: runner).bind(period, for: measure.rawValue)
        guard measure == .growth else { return BoundQuery.Periods(measure: measure, orders: cohorting, amount: nil, lineDate: nil) }
        let table = runner.table
        guard let amount = table.columnIndex(named: Engine.amountColumn), ValueType(table.columns[amount].type).isNumeric else {
            throw .statement(LanguageError("growth needs the amount of each order, but \(table.name) has no number column \(Engine.amountColumn)",
                                           runner.range, help: "name it with .orders \(table.name) amount=COLUMN"))
        }
        // Revenue is of every line (a return nets off), so it is dated by the order date itself.
        let lineDate = table.columnIndex(named: Engine.orderDateColumn) ?? cohorting.date
        return BoundQuery.Periods(measure: measure, orders: cohorting, amount: amount, lineDate: lineDate)
    }

    func run(_ periods: BoundQuery.Periods, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let cohort = Cohort(runner: runner)
        let period = periods.orders.period
        let orders = try cohort.countedOrders(periods.orders, rows: rows)
        // Each customer's purchase periods, as (customer, period) pairs, sorted and once each.
        var pairs: [UInt64] = []
        let (undated, late) = try evaluating(runner.range) { () throws(EvaluationError) in
            try orders.forEach { customer, p in pairs.append(UInt64(customer) << 32 | UInt64(UInt32(bitPattern: p))) }
        }
        pairs.sort()
        let last = Cohort.period(of: runner.today, period)
        var result: QueryResult
        if let first = pairs.lazy.map({ Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }).min() {
            let span = Int(last - first) + 1
            guard span <= Cohort.maxPeriods else {
                throw .statement(LanguageError("the orders span \(span) \(period.rawValue)s, more than a table by period can show (\(Cohort.maxPeriods))",
                                               runner.range, help: period == .year ? nil : "try \(periods.measure.rawValue) by year"))
            }
            var counts = Counts(span: span)
            var previous: (customer: UInt64, period: Int32)?
            for (index, pair) in pairs.enumerated() where index == 0 || pair != pairs[index - 1] {
                let customer = pair >> 32, p = Int32(bitPattern: UInt32(truncatingIfNeeded: pair))
                let slot = Int(p - first)
                counts.active[slot] += 1
                if previous?.customer != customer {
                    counts.new[slot] += 1
                } else if previous?.period == p - 1 {
                    counts.retained[slot] += 1
                } else {
                    counts.reactivated[slot] += 1
                }
                previous = (customer, p)
            }
            let labels = (0..<span).map { Cohort.label(of: first + Int32($0), period) }
            switch periods.measure {
            case .retention:
                result = Self.retentionTable(labels, counts, period: period)
            case .growth:
                let revenue = try self.revenue(periods, rows: rows, first: first, span: span)
                result = Self.growthTable(labels, counts, revenue: revenue, period: period)
            }
        } else {
            result = periods.measure == .retention ? Self.retentionTable([], Counts(span: 0), period: period)
                                                   : Self.growthTable([], Counts(span: 0), revenue: [], period: period)
        }
        result.notes.append(.asOf(day: runner.today, source: runner.asOfSource, ordersLeftOut: late))
        result.notes.append(periods.measure == .retention ? .periodRetention(period: period.rawValue)
                                                          : .periodGrowth(period: period.rawValue))
        if undated > 0 { result.notes.append(.ordersWithoutDate(count: undated, column: orders.dates.name)) }
        return result
    }

    /// Customers per period (index 0 is the first period with a purchase).
    struct Counts {
        var active: [Int64], new: [Int64], retained: [Int64], reactivated: [Int64]
        init(span: Int) {
            active = [Int64](repeating: 0, count: span)
            (new, retained, reactivated) = (active, active, active)
        }
    }

    /// The revenue of each period: every line with a customer and a date up to the as-of
    /// date, chosen by `where`, summed in row order.
    private func revenue(_ periods: BoundQuery.Periods, rows: [Int32]?, first: Int32, span: Int) throws(EngineError) -> [Double] {
        guard let amountIndex = periods.amount, let dateIndex = periods.lineDate else { return [] }
        let table = runner.table
        let evaluator = runner.evaluator(rows: nil)
        let amounts = try evaluating(runner.range) { () throws(EvaluationError) in
            try evaluator.evaluate(.column(amountIndex, ValueType(table.columns[amountIndex].type)))
        }
        let key = table.columns[periods.orders.key], dates = table.columns[dateIndex]
        guard case .date(let days) = dates.values, let values = amounts.doubles else { return [] }
        var revenue = [Double](repeating: 0, count: span)
        let stop = StopCheck(runner.shouldStop)
        func visit(_ row: Int) {
            guard !key.isNull(row), !dates.isNull(row), !amounts.isNull(row), days[row] <= runner.today else { return }
            let slot = Int(Cohort.period(of: days[row], periods.orders.period) - first)
            if slot >= 0, slot < span { revenue[slot] += values[row] }
        }
        try evaluating(runner.range) { () throws(EvaluationError) in
            if let rows {
                for (step, row) in rows.enumerated() { try stop.check(step); visit(Int(row)) }
            } else {
                for row in 0..<table.rowCount { try stop.check(row); visit(row) }
            }
        }
        return revenue
    }

    private static func percent(_ part: Int64, of whole: Int64) -> Double? {
        whole > 0 ? 100.0 * Double(part) / Double(whole) : nil
    }

    static func retentionTable(_ labels: [String], _ counts: Counts, period: CohortPeriod) -> QueryResult {
        let previous = labels.indices.map { $0 == 0 ? nil : counts.active[$0 - 1] }
        let retention = labels.indices.map { i in previous[i].flatMap { percent(counts.retained[i], of: $0) } }
        let contractual = labels.indices.map { i in previous[i].flatMap { percent(counts.active[i] - counts.new[i], of: $0) } }
        let columns = [
            Vector(storage: .string(StringValues(strings: labels)), nulls: nil).column(named: period.rawValue),
            Vector(storage: .integer(counts.active), nulls: nil).column(named: "active"),
            Vector(storage: .integer(counts.new), nulls: nil).column(named: "new"),
            Vector(storage: .integer(counts.retained), nulls: nil).column(named: "retained"),
            Vector(storage: .integer(counts.reactivated), nulls: nil).column(named: "reactivated"),
            decimals("retention %", retention),
            decimals("churn %", retention.map { $0.map { 100 - $0 } }),
            decimals("contractual %", contractual),
        ]
        return QueryResult(table: withUnits(Table(name: "retention", columns: columns, rowCount: labels.count)),
                           rowsScanned: 0, rowsMatched: 0)
    }

    static func growthTable(_ labels: [String], _ counts: Counts, revenue: [Double], period: CohortPeriod) -> QueryResult {
        let growth = labels.indices.map { i -> Double? in
            guard i > 0, revenue[i - 1] != 0 else { return nil }
            return 100 * (revenue[i] - revenue[i - 1]) / revenue[i - 1]
        }
        let columns = [
            Vector(storage: .string(StringValues(strings: labels)), nulls: nil).column(named: period.rawValue),
            Vector(storage: .integer(counts.new), nulls: nil).column(named: "new customers"),
            Vector(storage: .integer(counts.active), nulls: nil).column(named: "customers"),
            Vector(storage: .decimal(revenue), nulls: nil).column(named: "revenue"),
            decimals("revenue growth %", growth),
        ]
        return QueryResult(table: withUnits(Table(name: "growth", columns: columns, rowCount: labels.count)),
                           rowsScanned: 0, rowsMatched: 0)
    }

    /// A column of decimals, null where there is no value.
    static func decimals(_ name: String, _ values: [Double?]) -> Column {
        let nulls = values.map { $0 == nil }
        return Vector(storage: .decimal(values.map { $0 ?? 0 }), nulls: nulls.contains(true) ? nulls : nil).column(named: name)
    }

    /// The units of a table by period, whoever computed it (here, or a database): its rates
    /// (`… %`) in percent points, its revenue as money.
    static func withUnits(_ table: Table) -> Table {
        var table = table
        for (index, column) in table.columns.enumerated() {
            var column = column
            if column.name.hasSuffix(" %") { column.unit = .percentPoints } else if column.name == "revenue" { column.unit = .currency } else { continue }
            table = table.replacing(column: index, with: column)
        }
        return table
    }
}
