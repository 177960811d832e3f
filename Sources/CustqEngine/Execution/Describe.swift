import CustqLanguage
import CustqResult
import CustqStore

/// `describe [COLUMNS]`: one row per column with its counts, range, quartiles, mean,
/// standard deviation, and for text its most frequent values.
struct Describe {
    let runner: QueryRunner

    static let headers = ["column", "type", "count", "nulls", "distinct", "min", "p25", "median", "p75", "max", "mean", "std", "top values"]

    func run(columns: [Expr], rows: [Int32]?) throws(EngineError) -> QueryResult {
        let table = runner.table
        var binder = runner.makeBinder()
        let evaluator = runner.evaluator(rows: rows)
        var targets: [(String, BoundExpr, SourceRange)] = []
        if columns.isEmpty {
            for (i, column) in table.columns.enumerated() {
                targets.append((column.name, .column(i, ValueType(column.type)), runner.range))
            }
        } else {
            for expr in columns {
                let bound = try binding { () throws(LanguageError) in try binder.bind(expr, allowAggregates: false) }
                targets.append((runner.displayName(expr.range), bound, expr.range))
            }
        }
        var cells: [[Scalar]] = []
        for (name, bound, range) in targets {
            if let stop = runner.shouldStop, stop() { throw .interrupted }
            cells.append(try evaluating(range) { () throws(EvaluationError) in
                if bound.type.isNumeric, let (values, total) = try numbers(bound, evaluator) {
                    let exact = bound.type == .integer ? try integerRange(bound, evaluator) : nil
                    return numericRow(name, bound.type, values, total: total, exactRange: exact)
                }
                return try summary(name, bound.type, try evaluator.evaluate(bound))
            })
        }
        let types: [ValueType] = [.string, .string, .integer, .integer, .integer, .string, .decimal, .decimal, .decimal,
                                  .string, .decimal, .decimal, .string]
        // Each row describes one column: its min, quartiles and max are values in that
        // column's terms (min and max written exactly, as text, whatever the type).
        let units: [ColumnUnit] = [.none, .statisticType, .none, .none, .none, .statisticValue, .statisticValue,
                                   .statisticValue, .statisticValue, .statisticValue, .statisticMoment, .statisticMoment, .none]
        let resultColumns = Self.headers.enumerated().map { index, header in
            var column = Functions.vector(cells.map { $0[index] }, type: types[index]).column(named: header)
            column.unit = units[index]
            return column
        }
        return QueryResult(table: Table(name: "describe", columns: resultColumns, rowCount: cells.count), rowsScanned: 0, rowsMatched: 0)
    }

    private func summary(_ name: String, _ type: ValueType, _ v: Vector) throws(EvaluationError) -> [Scalar] {
        let all = Grouping(groupOf: [Int32](repeating: 0, count: v.count), representative: [0])
        func aggregate(_ kind: AggregateCall.Kind, _ resultType: ValueType) throws(EvaluationError) -> Scalar {
            try Aggregates.compute(AggregateCall(kind: kind, argument: nil, type: resultType), argument: v, grouping: all).scalar(at: 0)
        }
        let nonNull = v.count - (v.nulls?.filter { $0 }.count ?? 0)
        var row: [Scalar] = [.string(name), .string(type.rawValue), .integer(Int64(nonNull)), .integer(Int64(v.count - nonNull)),
                             try aggregate(.distinct, .integer)]
        let minText = text(try aggregate(.min, type)), maxText = text(try aggregate(.max, type))
        row += [minText, .null, .null, .null, maxText, .null, .null, type == .string || type == .boolean ? topValues(v) : .null]
        return row
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
                            exactRange: (low: Int64, high: Int64, distinct: Int)?) -> [Scalar] {
        var values = numbers
        var row: [Scalar] = [.string(name), .string(type.rawValue), .integer(Int64(values.count)),
                             .integer(Int64(total - values.count))]
        guard !values.isEmpty else { return row + [.integer(0)] + [Scalar](repeating: .null, count: 8) }
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
        let std: Scalar = values.count > 1 ? .decimal((squares / Double(values.count - 1)).squareRoot()) : .null
        let p25 = Selection.quantile(0.25, of: &values)
        let median = Selection.quantile(0.5, of: &values)
        let p75 = Selection.quantile(0.75, of: &values)
        let lowText = exactRange.map { String($0.low) } ?? String(low)
        let highText = exactRange.map { String($0.high) } ?? String(high)
        row += [.integer(Int64(exactRange?.distinct ?? distinct.count)), .string(lowText), .decimal(p25), .decimal(median),
                .decimal(p75), .string(highText), .decimal(mean), std, .null]
        return row
    }

    private func text(_ scalar: Scalar) -> Scalar {
        switch scalar {
        case .null: .null
        case .integer(let x): .string(String(x))
        case .decimal(let x): .string(String(x))
        case .boolean(let b): .string(b ? "true" : "false")
        case .date(let d): .string(CivilDate.isoString(ofDay: Int(d)))
        case .timestamp(let t): .string(CivilDate.isoString(ofTimestamp: t))
        case .string(let s): .string(s)
        }
    }

    /// The three most frequent values with their counts: `North (412), East (398), …`.
    private func topValues(_ v: Vector) -> Scalar {
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
        return top.isEmpty ? .null : .string(top.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
    }
}
