import CustqResult
import CustqStore
import CustqText

/// The words and drawings around a result's rows: its notes, its footer and its chart.
public enum ResultText {
    /// One note as a line (without the `note: ` before it).
    public static func note(_ note: ResultNote) -> String {
        switch note {
        case .asOf(let day, let source, let late):
            var line = "as of \(CivilDate.isoString(ofDay: Int(day))) (\(words(source)))"
            if late > 0 {
                line += "; \(NumberFormat.grouped(late)) \(late == 1 ? "order" : "orders") dated after it "
                    + "\(late == 1 ? "is" : "are") left out"
            }
            return line
        case .rowsWithoutValue(let count, let what):
            return Plural.count(count, "row") + " with no \(what) " + (count == 1 ? "was" : "were") + " left out"
        case .cohorts(let customers, let period):
            return "\(NumberFormat.grouped(customers)) \(customers == 1 ? "customer" : "customers") by the "
                + "\(period) of their first order; a cell is the % of its cohort with an order in that \(period)"
        case .periodRetention(let period):
            return "active: customers with a purchase in the \(period); retained: active in the \(period) before too; "
                + "retention % = retained / active the \(period) before (the form for orders), churn % = 100 − retention %; "
                + "contractual % = (active − new) / active the \(period) before, the (E − N)/S form for subscriptions, "
                + "which on orders counts reactivated customers as retained; the last \(period) counts up to the as-of date"
        case .periodGrowth(let period):
            return "new customers: first purchase in the \(period); revenue: the amounts of the order lines with a customer "
                + "dated in the \(period) (returns net off); revenue growth % = 100 × (revenue − the \(period) before's) / the \(period) before's; "
                + "the last \(period) counts up to the as-of date"
        case .concentration(let value, let customers, let left):
            return "the top k% are the first ⌈k% × \(NumberFormat.grouped(customers))⌉ customers by \(value), largest first; "
                + "share % is their sum over all \(NumberFormat.grouped(customers))"
                + (left > 0 ? "; \(Plural.count(left, "row")) with no \(value) left out" : "")
        case .ordersWithoutDate(let count, let column):
            return "\(NumberFormat.grouped(count)) \(count == 1 ? "order has" : "orders have") no \(column) and "
                + "\(count == 1 ? "is" : "are") left out"
        case .valueNotFound(let column, let value, let closest):
            return "no \(column) is '\(value)'" + (closest.map { " (did you mean \($0)?)" } ?? "")
        case .notConverted(let function, let rows, let examples):
            let shown = examples.map { "'\($0.text)' (row \($0.row + 1))" }.joined(separator: ", ")
            let more = rows > examples.count ? ", …" : ""
            let values = rows == 1 ? "1 value did not convert and is null" : "\(rows) values did not convert and are null"
            return "\(function): \(values)" + (shown.isEmpty ? "" : ": " + shown + more)
        case .abcClasses(let value, let key, let a, let b):
            return "\(value) by customer, largest first (ties by \(key)); A while the cumulative share of the total "
                + "is at most \(a)%, B at most \(b)%, C the rest (define abc_a_share / abc_b_share to change)"
        case .yesNoReading(let name, let column, let yes, let no):
            let yesText = yes.isEmpty ? "none" : yes.joined(separator: "/"), noText = no.isEmpty ? "none" : no.joined(separator: "/")
            return "\(name) read from \(column): \(yesText) is yes, \(noText) is no"
        case .datesReadMonthFirst(let example):
            return "\(example) and the like read as month/day/year; give a format such as '%d/%m/%Y' to read the day first"
        case .numbersReadWithPoint(let example, let point, let comma):
            func plain(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
            return "number read \(example) and the like with a decimal point: \(plain(point)), not \(plain(comma))"
        case .purchaseSummary, .modelFit, .spendFrequencyCorrelation, .modelWarning, .holdout, .holdoutBegins:
            return ModelText.note(note)
        }
    }

    /// Where the as-of date comes from, in words.
    public static func words(_ source: AsOfSource) -> String {
        switch source {
        case .setWithAsOf: "set with .asof"
        case .latestOrderDate: "the latest order date"
        case .today: "today"
        }
    }

    /// `1,000 rows, 40 shown (812 of 2,000 rows matched)`: how many rows, how many are
    /// shown, and what the matched count counts.
    public static func footer(_ result: QueryResult, shown: Int) -> String {
        var footer = Plural.count(result.table.rowCount, "row")
        if shown < result.table.rowCount { footer += ", \(NumberFormat.grouped(shown)) shown" }
        if let matched = result.matched {
            footer += " (" + describe(matched, result.rowsMatched, of: result.rowsScanned) + ")"
        } else if result.rowsMatched < result.rowsScanned {
            footer += " (\(NumberFormat.grouped(result.rowsMatched)) of \(Plural.count(result.rowsScanned, "row")) matched)"
        }
        return footer
    }

    /// `1,923 of 2,000 customers have an RFM segment`: what a segment table's matched count is.
    static func describe(_ matched: MatchedRows, _ count: Int, of all: Int) -> String {
        let start = "\(NumberFormat.grouped(count)) of \(Plural.count(all, "customer")) "
        switch matched {
        case .customersWithSegment(let filtered):
            return start + (filtered ? "match and have an RFM segment" : (count == 1 ? "has" : "have") + " an RFM segment")
        case .customersWithValue(let value, let filtered):
            return start + (filtered ? "match and have" : count == 1 ? "has" : "have") + " a value of \(value)"
        }
    }

    /// The result's chart drawn `width` columns wide, if it has one.
    public static func chart(_ result: QueryResult, width: Int, nullText: String) -> String? {
        guard let chart = result.chart else { return nil }
        let table = result.table
        let title: String
        let labels: [String]
        var values: [Double?] = []
        var integral = true
        switch chart {
        case .bars(let name):
            title = name
            guard table.columns.count >= 2, let valueColumn = table.columns.last else { return nil }
            let labelColumns = table.columns.dropLast()
            labels = (0..<table.rowCount).map { row in
                labelColumns.map { $0.exactText(at: row) ?? "NULL" }.joined(separator: " · ")
            }
            values = (0..<table.rowCount).map { number(valueColumn, $0) }
            integral = valueColumn.type == .integer
        case .histogram(let name):
            title = name
            guard table.columns.count == 3 else { return nil }
            let bins = (0..<table.rowCount).map { (low: number(table.columns[0], $0) ?? 0, high: number(table.columns[1], $0) ?? 0) }
            labels = ChartRenderer.binLabels(bins, dates: table.columns[0].type == .date)
            values = (0..<table.rowCount).map { number(table.columns[2], $0) }
        case .tracking(let name):
            guard table.columns.count >= 3 else { return nil }
            let (actual, expected) = (table.columns[table.columns.count - 2], table.columns[table.columns.count - 1])
            let rows = (0..<table.rowCount).map { row in
                (label: table.columns.dropLast(2).map { $0.exactText(at: row) ?? nullText }.joined(separator: " "),
                 actual: number(actual, row) ?? 0, expected: number(expected, row) ?? 0,
                 text: PeopleText.cell(actual, row: row, nullText: nullText) + " / "
                     + PeopleText.fixed(number(expected, row) ?? 0, decimals: 1))
            }
            return ChartRenderer.tracking(title: name, rows: rows, width: width)
        }
        let decimals = PeopleText.decimals(for: values.compactMap { $0 })
        let bars = zip(labels, values).map { label, value in
            (label, value, value.map { value in
                integral ? Int(exactly: value).map(NumberFormat.grouped) ?? PeopleText.decimal(value)
                         : PeopleText.fixed(value, decimals: decimals)
            } ?? nullText)
        }
        return ChartRenderer.render(title: title, bars: bars, width: width)
    }

    /// A number, date (its day) or nothing, for a bar or a bin's edge.
    private static func number(_ column: Column, _ row: Int) -> Double? {
        guard !column.isNull(row) else { return nil }
        switch column.values {
        case .integer(let v): return Double(v[row])
        case .decimal(let v): return v[row]
        case .date(let v): return Double(v[row])
        default: return nil
        }
    }
}
