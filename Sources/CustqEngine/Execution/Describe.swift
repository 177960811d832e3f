import CustqLanguage
import CustqResult
import CustqStore

/// `describe [COLUMNS]`: one row per column with its counts, range, quartiles, mean,
/// standard deviation, and for text its most frequent values.
struct Describe {
    let runner: QueryRunner

    func run(_ targets: [BoundQuery.Output], rows: [Int32]?) throws(EngineError) -> QueryResult {
        let evaluator = runner.evaluator(rows: rows)
        var statistics: [ColumnStatistics] = []
        for target in targets {
            let (name, bound) = (target.name, target.expr)
            if let stop = runner.shouldStop, stop() { throw .interrupted }
            statistics.append(try evaluating(target.range) { () throws(EvaluationError) in
                if bound.type.isNumeric, let (values, total) = try numbers(bound, evaluator) {
                    let exact = bound.type == .integer ? try integerRange(bound, evaluator) : nil
                    return numericRow(name, bound.type, values, total: total, exactRange: exact)
                }
                return try summary(name, bound.type, try evaluator.evaluate(bound))
            })
        }
        return QueryResult(describing: statistics)
    }

    private func summary(_ name: String, _ type: ValueType, _ v: Vector) throws(EvaluationError) -> ColumnStatistics {
        let all = Grouping(groupOf: [Int32](repeating: 0, count: v.count), representative: [0])
        func aggregate(_ kind: AggregateCall.Kind, _ resultType: ValueType) throws(EvaluationError) -> Scalar {
            try Aggregates.compute(AggregateCall(kind: kind, argument: nil, type: resultType), argument: v, grouping: all).scalar(at: 0)
        }
        let nonNull = v.count - (v.nulls?.filter { $0 }.count ?? 0)
        var statistics = ColumnStatistics(name: name, type: type.rawValue, count: nonNull, nulls: v.count - nonNull)
        if case .integer(let distinct) = try aggregate(.distinct, .integer) { statistics.distinct = Int(distinct) }
        statistics.min = Self.value(try aggregate(.min, type))
        statistics.max = Self.value(try aggregate(.max, type))
        if type == .string || type == .boolean { statistics.topValues = topValues(v) }
        return statistics
    }

    /// The non-null values of a numeric expression as one compacted array (a column is
    /// read in place), and how many rows there were.
    private func numbers(_ bound: BoundExpr, _ evaluator: Evaluator) throws(EvaluationError) -> ([Double], Int)? {
        let table = runner.table
        if evaluator.rows == nil, case .column(let index, _) = bound {
            let column = table.columns[index]
            var values: [Double] = []
            values.reserveCapacity(column.count - column.nullCount)
            switch column.values {
            case .decimal(let buffer):
                buffer.withUnsafeBufferPointer { buffer in
                    if column.nullCount == 0 { values.append(contentsOf: buffer) } else {
                        for i in 0..<buffer.count where column.validity.isValid(i) { values.append(buffer[i]) }
                    }
                }
            case .integer(let buffer):
                buffer.withUnsafeBufferPointer { buffer in
                    for i in 0..<buffer.count where column.nullCount == 0 || column.validity.isValid(i) {
                        values.append(Double(buffer[i]))
                    }
                }
            default:
                return nil
            }
            return (values, column.count)
        }
        let v = try evaluator.evaluate(bound)
        guard let all = v.doubles else { return nil }
        guard let nulls = v.nulls else { return (all, v.count) }
        return (all.indices.filter { !nulls[$0] }.map { all[$0] }, v.count)
    }

    /// The exact smallest and largest value and the number of distinct values of a whole-number
    /// expression (doubles cannot hold every Int64: 2^63 - 1 is not a double).
    private func integerRange(_ bound: BoundExpr, _ evaluator: Evaluator) throws(EvaluationError) -> (low: Int64, high: Int64, distinct: Int)? {
        let v = try evaluator.evaluate(bound)
        guard case .integer(let x) = v.storage else { return nil }
        var low: Int64?, high: Int64?
        let distinct = BitsNumbering(expected: max(16, x.count / 4))
        for i in 0..<x.count where !v.isNull(i) {
            let value = x[i]
            if low == nil || value < low! { low = value }
            if high == nil || value > high! { high = value }
            _ = distinct.code(of: UInt64(bitPattern: value))
        }
        guard let low, let high else { return nil }
        return (low, high, distinct.count)
    }

    /// A describe row for numbers: a pass for count, distinct, range and moments, then three
    /// selections for the quartiles. `exactRange`: an integer column's own min, max and distinct count.
    private func numericRow(_ name: String, _ type: ValueType, _ numbers: [Double], total: Int,
                            exactRange: (low: Int64, high: Int64, distinct: Int)?) -> ColumnStatistics {
        var values = numbers
        var statistics = ColumnStatistics(name: name, type: type.rawValue, count: values.count, nulls: total - values.count)
        statistics.distinct = 0
        guard !values.isEmpty else { return statistics }
        let distinct = BitsNumbering(expected: values.count)
        var low = values[0], high = values[0], sum = 0.0
        for x in values {
            if x < low { low = x }
            if x > high { high = x }
            sum += x
            _ = distinct.code(of: (x == 0 ? 0.0 : x).bitPattern)
        }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for x in values { squares += (x - mean) * (x - mean) }
        statistics.std = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : nil
        statistics.p25 = Selection.quantile(0.25, of: &values)
        statistics.median = Selection.quantile(0.5, of: &values)
        statistics.p75 = Selection.quantile(0.75, of: &values)
        statistics.distinct = exactRange?.distinct ?? distinct.count
        statistics.min = exactRange.map { .integer($0.low) } ?? .decimal(low)
        statistics.max = exactRange.map { .integer($0.high) } ?? .decimal(high)
        statistics.mean = mean
        return statistics
    }

    /// A smallest or largest value in its own type (nil for none).
    private static func value(_ scalar: Scalar) -> ColumnStatistics.Value? {
        switch scalar {
        case .null: nil
        case .integer(let x): .integer(x)
        case .decimal(let x): .decimal(x)
        case .boolean(let b): .boolean(b)
        case .date(let d): .date(d)
        case .timestamp(let t): .timestamp(t)
        case .string(let s): .text(s)
        }
    }

    /// The three most frequent values with their counts (`North (412), East (398), …` when written).
    private func topValues(_ v: Vector) -> [ColumnStatistics.Frequent] {
        var counts: [String: Int] = [:]
        switch v.storage {
        case .string(let s) where s.unique:
            // Count codes, then name only the distinct values.
            var perCode = [Int](repeating: 0, count: s.heap.count)
            for i in 0..<v.count where !v.isNull(i) { perCode[Int(s.indexes[i])] += 1 }
            for (code, count) in perCode.enumerated() where count > 0 { counts[s.heap.string(at: code), default: 0] += count }
        case .boolean(let b):
            for i in 0..<v.count where !v.isNull(i) { counts[b[i] ? "true" : "false", default: 0] += 1 }
        default:
            for i in 0..<v.count where !v.isNull(i) {
                if case .string(let text) = v.scalar(at: i) { counts[text, default: 0] += 1 }
            }
        }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
        return top.map { ColumnStatistics.Frequent(value: $0.key, count: $0.value) }
    }
}
