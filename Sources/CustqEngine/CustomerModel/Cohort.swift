import CustqDiagnostics
import CustqLanguage
import CustqResult
import CustqStore

/// `cohort [by month|quarter|year] [where COND]` on the orders table: customers grouped by
/// the period of their first order (their cohort); for each cohort, its size and the share
/// of its customers with at least one order in each period since (period 0 is the first
/// order's, so 100%). Periods after the as-of date's are not yet known and are null.
struct Cohort {
    let runner: QueryRunner

    /// The most periods a table may span (200 years by month).
    static let maxPeriods = 2400

    /// The orders' customer and date columns (a purchase date when the orders model gives
    /// one), or what to name.
    func bind(_ period: CohortPeriod, for form: String = "cohort") throws(EngineError) -> BoundQuery.Cohorting {
        let table = runner.table
        guard let keyIndex = table.columnIndex(named: runner.keyColumn) else {
            throw .statement(LanguageError("\(form) needs the customer of each order, but \(table.name) has no column \(runner.keyColumn)",
                                           runner.range, help: "name it with .orders \(table.name) customer_id=COLUMN"))
        }
        // Purchases only (cancelled orders and returns are none; see OrderLines), when the
        // orders model gave them.
        guard let dateIndex = table.columnIndex(named: Engine.purchaseDateColumn) ?? table.columnIndex(named: Engine.orderDateColumn),
              table.columns[dateIndex].type == .date else {
            throw .statement(LanguageError("\(form) needs the date of each order, but \(table.name) has no date column \(Engine.orderDateColumn)",
                                           runner.range, help: "name it with .orders \(table.name) order_date=COLUMN"))
        }
        return BoundQuery.Cohorting(period: period, key: keyIndex, date: dateIndex)
    }

    func run(_ cohorting: BoundQuery.Cohorting, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let asOf = runner.today
        let period = cohorting.period
        let orders = try countedOrders(cohorting, rows: rows)
        var firstPeriod = [Int32](repeating: Int32.max, count: orders.customerCount)
        var (undated, late) = try evaluating(runner.range) { () throws(EvaluationError) in
            try orders.forEach { customer, p in firstPeriod[customer] = min(firstPeriod[customer], p) }
        }
        var result: QueryResult
        if let earliest = firstPeriod.min(), earliest != Int32.max {
            let lastPeriod = Self.period(of: asOf, period)
            let span = Int(lastPeriod - earliest) + 1
            guard span <= Self.maxPeriods else {
                throw .statement(LanguageError("the orders span \(span) \(period.rawValue)s, more than a cohort table can show (\(Self.maxPeriods))",
                                               runner.range, help: period == .year ? nil : "try cohort by year"))
            }
            // A bit per customer and period since their first order: set once, counted once.
            let words = (span + 63) / 64
            var seen = [UInt64](repeating: 0, count: firstPeriod.count * words)
            var active = [Int](repeating: 0, count: span * span)
            (undated, late) = try evaluating(runner.range) { () throws(EvaluationError) in try orders.forEach { customer, p in
                let first = firstPeriod[customer], since = Int(p - first)
                let word = customer * words + since / 64, bit = UInt64(1) << UInt64(since % 64)
                if seen[word] & bit != 0 { return }
                seen[word] |= bit
                active[Int(first - earliest) * span + since] += 1
            } }
            result = retention(period: period, earliest: earliest, lastPeriod: lastPeriod, span: span,
                               active: active, firstPeriod: firstPeriod)
        } else {
            result = Self.emptyTable(period)
        }
        let customers = firstPeriod.count { $0 != Int32.max }
        result.notes.append(.asOf(day: asOf, source: runner.asOfSource, ordersLeftOut: late))
        result.notes.append(.cohorts(customers: customers, period: period.rawValue))
        if undated > 0 { result.notes.append(.ordersWithoutDate(count: undated, column: orders.dates.name)) }
        return result
    }

    /// The orders with the customer and period of each. Customers are numbered by the
    /// relation roll-ups use from customers to orders (an array over dense ids, built once
    /// and cached); periods come from a table by day.
    func countedOrders(_ cohorting: BoundQuery.Cohorting, rows: [Int32]?) throws(EngineError) -> CountedOrders {
        let table = runner.table
        let dates = table.columns[cohorting.date], key = table.columns[cohorting.key]
        guard case .date(let days) = dates.values else { preconditionFailure("bound as a date column") }
        let customersKey = runner.others.first { $0.answers(to: "customers") }
            .flatMap { $0.column(named: runner.keyColumn) } ?? key
        let relation = try evaluating(runner.range) { () throws(EvaluationError) in
            try runner.evaluator(rows: nil).relation(from: customersKey, to: key)
        }
        let dayRange = dates.wholeDayRange
        let periodOfDay = dayRange.map { range in
            (range.low...range.high).map { Self.period(of: $0, cohorting.period) }
        } ?? []
        return CountedOrders(key: key, dates: dates, days: days, customerOf: relation.grouping.groupOf,
                             customerCount: relation.grouping.count, periodOfDay: periodOfDay,
                             firstDay: dayRange?.low ?? 0, asOf: runner.today, rows: rows, stop: StopCheck(runner.shouldStop))
    }

    /// The orders a cohort table counts: with a customer and a date, not after the as-of
    /// date, and chosen by `where`.
    struct CountedOrders {
        let key: Column, dates: Column
        let days: ValueBuffer<Int32>
        /// Each order's customer, numbered 0..<customerCount.
        let customerOf: [Int32]
        let customerCount: Int
        /// The period of each day from `firstDay` on.
        let periodOfDay: [Int32]
        let firstDay: Int32
        let asOf: Int32
        let rows: [Int32]?
        let stop: StopCheck

        /// Calls `body` with the customer and period of each order counted; gives how many
        /// orders have no date and how many are after the as-of date.
        func forEach(_ body: (Int, Int32) -> Void) throws(EvaluationError) -> (undated: Int, late: Int) {
            var undated = 0, late = 0
            try days.withUnsafeBufferPointer { (days: UnsafeBufferPointer<Int32>) throws(EvaluationError) in
                func visit(_ row: Int) {
                    if key.nullCount > 0, key.isNull(row) { return }
                    if dates.nullCount > 0, dates.isNull(row) { undated += 1; return }
                    let day = days[row]
                    if day > asOf { late += 1; return }
                    body(Int(customerOf[row]), periodOfDay[Int(day - firstDay)])
                }
                if let rows {
                    for (step, row) in rows.enumerated() {
                        try stop.check(step)
                        visit(Int(row))
                    }
                } else {
                    for row in 0..<days.count {
                        try stop.check(row)
                        visit(row)
                    }
                }
            }
            return (undated, late)
        }
    }

    /// The table from the count of active customers per cohort and period since
    /// (`active[cohort * span + since]`) and each customer's first period.
    private func retention(period: CohortPeriod, earliest: Int32, lastPeriod: Int32, span: Int,
                           active: [Int], firstPeriod: [Int32]) -> QueryResult {
        var size = [Int](repeating: 0, count: span)
        for first in firstPeriod where first != Int32.max { size[Int(first - earliest)] += 1 }
        var cohorts: [Row] = []
        for cohort in 0..<span where size[cohort] > 0 {
            let p = earliest + Int32(cohort)
            let known = Int(lastPeriod - p) + 1
            cohorts.append(Row(label: Self.label(of: p, period), customers: size[cohort],
                               active: (0..<known).map { 100.0 * Double(active[cohort * span + $0]) / Double(size[cohort]) }))
        }
        return Self.table(cohorts, period: period, span: span)
    }

    /// A cohort of the table: its label, its size, and the percent of it active in each
    /// period since its first, as far as the as-of date.
    struct Row {
        let label: String
        let customers: Int
        let active: [Double]
    }

    /// The table of `cohorts` with a column per period up to `span`; the cells of periods
    /// after the as-of date, which a later cohort does not reach, are null.
    static func table(_ cohorts: [Row], period: CohortPeriod, span: Int) -> QueryResult {
        guard !cohorts.isEmpty else { return emptyTable(period) }
        var columns = [Vector(storage: .string(StringValues(strings: cohorts.map(\.label))), nulls: nil).column(named: "cohort"),
                       Vector(storage: .integer(cohorts.map { Int64($0.customers) }), nulls: nil).column(named: "customers")]
        for since in 0..<span {
            let cells = cohorts.map { since < $0.active.count ? $0.active[since] : 0 }
            let missing = cohorts.map { since >= $0.active.count }
            columns.append(Vector(storage: .decimal(cells), nulls: missing.contains(true) ? missing : nil)
                .column(named: "\(period.rawValue) \(since)"))
        }
        var result = QueryResult(table: Table(name: "cohort", columns: columns, rowCount: cohorts.count), rowsScanned: 0, rowsMatched: 0)
        result.shadedColumns = 2..<columns.count
        return result
    }

    static func emptyTable(_ period: CohortPeriod) -> QueryResult {
        let columns = [Vector(storage: .string(StringValues(strings: [])), nulls: nil).column(named: "cohort"),
                       Vector(storage: .integer([]), nulls: nil).column(named: "customers"),
                       Vector(storage: .decimal([]), nulls: nil).column(named: "\(period.rawValue) 0")]
        return QueryResult(table: Table(name: "cohort", columns: columns, rowCount: 0), rowsScanned: 0, rowsMatched: 0)
    }

    /// A running number of the period holding `day`: months and quarters since year 0.
    static func period(of day: Int32, _ period: CohortPeriod) -> Int32 {
        let (year, month, _) = CivilDate.components(ofDay: Int(day))
        switch period {
        case .month: return Int32(year * 12 + month - 1)
        case .quarter: return Int32(year * 4 + (month - 1) / 3)
        case .year: return Int32(year)
        }
    }

    /// `2024-03`, `2024-Q1`, `2024`.
    static func label(of p: Int32, _ period: CohortPeriod) -> String {
        func floorDiv(_ a: Int, _ b: Int) -> (Int, Int) { let q = a >= 0 ? a / b : -((-a + b - 1) / b); return (q, a - q * b) }
        switch period {
        case .month:
            let (year, m) = floorDiv(Int(p), 12)
            return "\(year)-" + (m < 9 ? "0" : "") + "\(m + 1)"
        case .quarter:
            let (year, q) = floorDiv(Int(p), 4)
            return "\(year)-Q\(q + 1)"
        case .year:
            return "\(p)"
        }
    }
}
