import CustqDiagnostics
import CustqLanguage
import CustqResult
import CustqStore

/// `histogram EXPR [bins N]`: equal-width bins from the smallest to the largest value;
/// each bin holds values from its lower bound up to (not including) its upper bound,
/// the last bin also its upper bound.
struct Histogram {
    static let maxBins = 1000
    let runner: QueryRunner

    func run(_ values: BoundQuery.Output, bins: Int, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let (bound, what) = (values.expr, values.name)
        let evaluator = runner.evaluator(rows: rows)
        let v = try evaluating(values.range) { () throws(EvaluationError) in try evaluator.evaluate(bound) }
        var values: [Double] = []
        switch v.storage {
        case .integer(let x): values = x.map(Double.init)
        case .decimal(let x): values = x
        case .date(let x): values = x.map(Double.init)
        default: break
        }
        // Infinite values (exp of a large number) have no bin: they are left out with the nulls.
        values = values.indices.filter { !v.isNull($0) && values[$0].isFinite }.map { values[$0] }
        var lows: [Double] = [], highs: [Double] = [], counts: [Int64] = []
        if let low = values.min(), let high = values.max() {
            let binCount = high == low ? 1 : bins
            counts = [Int64](repeating: 0, count: binCount)
            // Halves, so a range of ±1e308 does not overflow to infinity.
            let halfSpan = high / 2 - low / 2
            for x in values {
                let share = halfSpan > 0 ? (x / 2 - low / 2) / halfSpan : 0
                counts[max(0, min(binCount - 1, Int(share * Double(binCount))))] += 1
            }
            func edge(_ i: Int) -> Double {
                let f = Double(i) / Double(binCount)
                return i == binCount ? high : (1 - f) * low + f * high
            }
            lows = (0..<binCount).map(edge)
            highs = (0..<binCount).map { edge($0 + 1) }
        }
        let isDate = bound.type == .date
        func column(_ xs: [Double], _ name: String) -> Column {
            isDate ? Vector(storage: .date(xs.map { Int32($0.rounded(.down)) }), nulls: nil).column(named: name)
                   : Vector(storage: .decimal(xs), nulls: nil).column(named: name)
        }
        let table = Table(name: "histogram", columns: [column(lows, "from"), column(highs, "to"),
                                                       Vector(storage: .integer(counts), nulls: nil).column(named: "count")],
                          rowCount: counts.count)
        var result = QueryResult(table: table, rowsScanned: 0, rowsMatched: 0)
        result.chart = .histogram(title: "histogram of \(what)")
        let left = v.count - values.count
        if left > 0 { result.notes.append(.rowsWithoutValue(count: left, what: what)) }
        return result
    }
}
