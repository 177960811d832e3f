import CustqLanguage
import CustqStore

/// `describe [COLUMNS]`: one row per column with its counts, range, quartiles, mean,
/// standard deviation, and for text its most frequent values.
struct Describe {
    let runner: QueryRunner

    static let headers = ["column", "type", "count", "nulls", "distinct", "min", "p25", "median", "p75", "max", "mean", "std", "top values"]

    func run(columns: [Expr], rows: [Int32]?) throws -> QueryResult {
        let table = runner.table
        var binder = Binder(table: table, definitions: runner.definitions, source: runner.source)
        let evaluator = Evaluator(table: table, rows: rows)
        var targets: [(String, BoundExpr)] = []
        if columns.isEmpty {
            for (i, column) in table.columns.enumerated() { targets.append((column.name, .column(i, ValueType(column.type)))) }
        } else {
            for expr in columns { targets.append((runner.text(expr.range), try binder.bind(expr, allowAggregates: false))) }
        }
        var cells: [[Scalar]] = []
        for (name, bound) in targets {
            let v = try evaluator.evaluate(bound)
            cells.append(try summary(name, bound.type, v))
        }
        let types: [ValueType] = [.string, .string, .integer, .integer, .integer, .string, .decimal, .decimal, .decimal,
                                  .string, .decimal, .decimal, .string]
        let resultColumns = Self.headers.enumerated().map { index, header in
            Functions.vector(cells.map { $0[index] }, type: types[index]).column(named: header)
        }
        return QueryResult(table: Table(name: "describe", columns: resultColumns, rowCount: cells.count), rowsScanned: 0, rowsMatched: 0)
    }

    private func summary(_ name: String, _ type: ValueType, _ v: Vector) throws -> [Scalar] {
        let all = Grouping(groupOf: [Int32](repeating: 0, count: v.count), representative: [0])
        func aggregate(_ kind: AggregateCall.Kind, _ resultType: ValueType) throws -> Scalar {
            try Aggregates.compute(AggregateCall(kind: kind, argument: nil, type: resultType), argument: v, grouping: all).scalar(at: 0)
        }
        let nonNull = v.count - (v.nulls?.filter { $0 }.count ?? 0)
        var row: [Scalar] = [.string(name), .string(type.rawValue), .integer(Int64(nonNull)), .integer(Int64(v.count - nonNull)),
                             try aggregate(.distinct, .integer)]
        let minText = text(try aggregate(.min, type)), maxText = text(try aggregate(.max, type))
        if type.isNumeric {
            row += [minText, try aggregate(.quantile(0.25), .decimal), try aggregate(.median, .decimal),
                    try aggregate(.quantile(0.75), .decimal), maxText, try aggregate(.avg, .decimal),
                    try aggregate(.stddev, .decimal), .null]
        } else {
            row += [minText, .null, .null, .null, maxText, .null, .null, type == .string || type == .boolean ? topValues(v) : .null]
        }
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
        for i in 0..<v.count where !v.isNull(i) {
            if case .string(let text) = v.scalar(at: i) { counts[text, default: 0] += 1 }
            else if case .boolean(let b) = v.scalar(at: i) { counts[b ? "true" : "false", default: 0] += 1 }
        }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
        return top.isEmpty ? .null : .string(top.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
    }
}
