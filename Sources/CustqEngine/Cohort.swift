import CustqDiagnostics
import CustqLanguage
import CustqStore

/// `cohort [by month|quarter|year] [where COND]` on the orders table: customers grouped by
/// the period of their first order (their cohort); for each cohort, its size and the share
/// of its customers with at least one order in each period since (period 0 is the first
/// order's, so 100%). Periods after the as-of date's are not yet known and are null.
struct Cohort {
    let runner: QueryRunner

    /// The most periods a table may span (200 years by month).
    static let maxPeriods = 2400

    func run(_ period: CohortPeriod, rows: [Int32]?) throws -> QueryResult {
        let asOf = runner.today
        let table = runner.table
        guard let keyIndex = table.columnIndex(named: runner.keyColumn) else {
            throw LanguageError("cohort needs the customer of each order, but \(table.name) has no column \(runner.keyColumn)",
                                SourceRange(0, 0), help: "name it with .orders \(table.name) customer_id=COLUMN")
        }
        guard let dateIndex = table.columnIndex(named: Engine.orderDateColumn),
              case .date(let days) = table.columns[dateIndex].values else {
            throw LanguageError("cohort needs the date of each order, but \(table.name) has no date column \(Engine.orderDateColumn)",
                                SourceRange(0, 0), help: "name it with .orders \(table.name) order_date=COLUMN")
        }
        let dates = table.columns[dateIndex]
        let keys = Evaluator.keyVector(table.columns[keyIndex])
        let bits = Evaluator.keyBits(keys)
        let lastPeriod = Self.period(of: asOf, period)

        // Each counted order: its customer (numbered in order of appearance) and its period.
        let numbering = BitsNumbering(expected: max(1 << 12, table.rowCount / 4))
        var customerOf: [Int32] = []
        var periodOf: [Int32] = []
        var firstPeriod: [Int32] = []
        var undated = 0, late = 0
        var periodCache: [Int32: Int32] = [:]
        func visit(_ row: Int) {
            if keys.isNull(row) { return }
            if dates.isNull(row) { undated += 1; return }
            let day = days[row]
            if day > asOf { late += 1; return }
            let p: Int32
            if let known = periodCache[day] { p = known } else { p = Self.period(of: day, period); periodCache[day] = p }
            let code = numbering.code(of: bits[row]) - 1
            if Int(code) == firstPeriod.count { firstPeriod.append(p) } else if p < firstPeriod[Int(code)] { firstPeriod[Int(code)] = p }
            customerOf.append(code)
            periodOf.append(p)
        }
        if let rows { for row in rows { visit(Int(row)) } } else { for row in 0..<table.rowCount { visit(row) } }

        var result: QueryResult
        if let earliest = firstPeriod.min() {
            let span = Int(lastPeriod - earliest) + 1
            guard span <= Self.maxPeriods else {
                throw LanguageError("the orders span \(span) \(period.rawValue)s, more than a cohort table can show (\(Self.maxPeriods))",
                                    SourceRange(0, 0), help: period == .year ? nil : "try cohort by year")
            }
            result = retention(period: period, earliest: earliest, lastPeriod: lastPeriod, span: span,
                           customerOf: customerOf, periodOf: periodOf, firstPeriod: firstPeriod)
        } else {
            result = Self.emptyTable(period)
        }
        let customers = firstPeriod.count
        result.notes.append(Engine.asOfLine(day: asOf, source: runner.asOfSource, late: late))
        result.notes.append("\(NumberFormat.grouped(customers)) \(customers == 1 ? "customer" : "customers") by the "
                            + "\(period.rawValue) of their first order; a cell is the % of its cohort with an order "
                            + "in that \(period.rawValue)")
        if undated > 0 {
            result.notes.append("\(NumberFormat.grouped(undated)) \(undated == 1 ? "order has" : "orders have") no "
                                + "\(dates.name) and \(undated == 1 ? "is" : "are") left out")
        }
        return result
    }

    private func retention(period: CohortPeriod, earliest: Int32, lastPeriod: Int32, span: Int,
                       customerOf: [Int32], periodOf: [Int32], firstPeriod: [Int32]) -> QueryResult {
        // A bit per customer and period since their first order: set once, counted once.
        let words = (span + 63) / 64
        var seen = [UInt64](repeating: 0, count: firstPeriod.count * words)
        let cohorts = span
        var active = [Int](repeating: 0, count: cohorts * span)
        var size = [Int](repeating: 0, count: cohorts)
        for first in firstPeriod { size[Int(first - earliest)] += 1 }
        for i in customerOf.indices {
            let customer = Int(customerOf[i])
            let first = firstPeriod[customer]
            let since = Int(periodOf[i] - first)
            let word = customer * words + since / 64, bit = UInt64(1) << UInt64(since % 64)
            if seen[word] & bit != 0 { continue }
            seen[word] |= bit
            active[Int(first - earliest) * span + since] += 1
        }
        var labels: [String] = []
        var sizes: [Int64] = []
        var cells = [[Double]](repeating: [], count: span)
        var missing = [[Bool]](repeating: [], count: span)
        for cohort in 0..<cohorts where size[cohort] > 0 {
            let p = earliest + Int32(cohort)
            labels.append(Self.label(of: p, period))
            sizes.append(Int64(size[cohort]))
            for since in 0..<span {
                let known = Int(p) + since <= Int(lastPeriod)
                cells[since].append(known ? 100.0 * Double(active[cohort * span + since]) / Double(size[cohort]) : 0)
                missing[since].append(!known)
            }
        }
        var columns = [Vector(storage: .string(StringValues(strings: labels)), nulls: nil).column(named: "cohort"),
                       Vector(storage: .integer(sizes), nulls: nil).column(named: "customers")]
        for since in 0..<span {
            let nulls = missing[since].contains(true) ? missing[since] : nil
            columns.append(Vector(storage: .decimal(cells[since]), nulls: nulls).column(named: "\(period.rawValue) \(since)"))
        }
        var result = QueryResult(table: Table(name: "cohort", columns: columns, rowCount: labels.count), rowsScanned: 0, rowsMatched: 0)
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
