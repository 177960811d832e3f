import CustqLanguage
import CustqResult
import CustqStore

/// Aggregate lists, with optional groups: `avg clv, count by region, tier`.
struct Aggregation {
    let runner: QueryRunner

    /// Groups the rows, computes every aggregate per group, then the items, the order and
    /// the limit.
    func run(_ summary: BoundQuery.Summary, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let evaluator = runner.evaluator(rows: rows)
        let (groupKeys, keyOutputs) = try groupKeys(summary.groups, evaluator, rows: rows)
        var grouping = try evaluating(runner.range) { () throws(EvaluationError) in
            try Grouping(keys: groupKeys, rows: evaluator.count, stop: StopCheck(runner.shouldStop))
        }
        if summary.groups.isEmpty && grouping.count == 0 { grouping = Grouping(groupOf: [], representative: [0]) }
        var aggregateValues: [Vector] = []
        for call in summary.aggregates {
            if let stop = runner.shouldStop, stop() { throw .interrupted }
            aggregateValues.append(try evaluating(call.range ?? runner.range) { () throws(EvaluationError) in
                let argument = try call.argument.map { (expr: BoundExpr) throws(EvaluationError) in try evaluator.evaluate(expr) }
                return try Aggregates.compute(call, argument: argument, grouping: grouping)
            })
        }
        let perGroup = Evaluator(table: runner.table, groups: grouping.count, aggregates: aggregateValues)
        var keyColumns: [Vector] = []
        for (g, output) in keyOutputs.enumerated() {
            keyColumns.append(try evaluating(summary.groups[g].range) { () throws(EvaluationError) in try output(grouping) })
        }
        var itemColumns: [Vector] = []
        for item in summary.items {
            itemColumns.append(try evaluating(item.range) { () throws(EvaluationError) in try perGroup.evaluate(item.expr) })
        }
        let picks = try order(summary, grouping: grouping, items: itemColumns, keys: keyColumns, perGroup: perGroup)
        var columns: [Column] = []
        for (g, group) in summary.groups.enumerated() {
            var column = keyColumns[g].gather(picks).column(named: group.name)
            column.unit = group.unit
            columns.append(column)
        }
        for (i, item) in summary.items.enumerated() {
            var vector = itemColumns[i]
            if vector.count != grouping.count { vector = perGroup.broadcast(vector.scalar(at: 0)) }
            var column = vector.gather(picks).column(named: item.name)
            column.unit = item.unit
            columns.append(column)
        }
        return QueryResult(table: Table(name: "result", columns: columns, rowCount: picks.count), rowsScanned: 0, rowsMatched: 0)
    }

    /// The groups in the order asked for, else by their keys ascending (nulls last), up to
    /// the limit.
    private func order(_ summary: BoundQuery.Summary, grouping: Grouping, items: [Vector], keys: [Vector],
                       perGroup: Evaluator) throws(EngineError) -> [Int] {
        var sortKeys: [(Vector, Bool)] = []
        for (key, descending) in summary.order {
            switch key {
            case .item(let i): sortKeys.append((items[i], descending))
            case .group(let g): sortKeys.append((keys[g], descending))
            case .expression(let output):
                sortKeys.append((try evaluating(output.range) { () throws(EvaluationError) in try perGroup.evaluate(output.expr) },
                                 descending))
            }
        }
        if sortKeys.isEmpty {
            // A definition that names its values in order (lifecycle: potential, new,
            // active, silent, churned) lists its groups in that order.
            for g in summary.groups.indices {
                if let levels = summary.levels[g] { sortKeys.append((Self.rank(keys[g], in: levels), false)) }
                sortKeys.append((keys[g], false))
            }
        }
        var picks = Array(0..<grouping.count)
        if !sortKeys.isEmpty {
            picks = try evaluating(runner.range) { () throws(EvaluationError) in
                try Sorting.order(picks, by: sortKeys, shouldStop: runner.shouldStop)
            }
        }
        if let limit = summary.limit, picks.count > limit { picks = Array(picks.prefix(limit)) }
        return picks
    }

    /// Group keys: dictionary-encoded columns are read in place (their codes are the group
    /// codes); other keys are evaluated. With each, how to make its result column.
    private func groupKeys(_ groups: [BoundQuery.Output], _ evaluator: Evaluator, rows: [Int32]?)
        throws(EngineError) -> ([Grouping.Key], [(Grouping) throws(EvaluationError) -> Vector]) {
        let table = runner.table
        var groupKeys: [Grouping.Key] = []
        var keyOutputs: [(Grouping) throws(EvaluationError) -> Vector] = []
        for group in groups {
            if case .column(let index, .string) = group.expr, case .string(let strings) = table.columns[index].values,
               case .dictionary(let codes, let values) = strings.storage {
                let column = table.columns[index]
                groupKeys.append(.dictionary(codes: codes, size: values.count,
                                             validity: column.nullCount > 0 ? column.validity : nil, rows: rows))
                keyOutputs.append { grouping in
                    let tableRows = grouping.representative.map { rows?[$0] ?? Int32($0) }
                    return Evaluator(table: table, rows: tableRows).column(column)
                }
            } else {
                let vector = try evaluating(group.range) { () throws(EvaluationError) in try evaluator.evaluate(group.expr) }
                groupKeys.append(.vector(vector))
                keyOutputs.append { grouping in vector.gather(grouping.representative) }
            }
        }
        return (groupKeys, keyOutputs)
    }

}

extension Aggregation {
    /// Each value's place in `levels` (values not listed come after, nulls stay null).
    static func rank(_ keys: Vector, in levels: [String]) -> Vector {
        guard case .string(let strings) = keys.storage else { return keys }
        var place: [String: Int64] = [:]
        for (index, level) in levels.enumerated() where place[level] == nil { place[level] = Int64(index) }
        let ranks = (0..<keys.count).map { row in place[strings.string(at: row)] ?? Int64(levels.count) }
        return Vector(storage: .integer(ranks), nulls: keys.nulls)
    }
}

extension Grouping {
    init(groupOf: [Int32], representative: [Int]) {
        self.groupOf = groupOf
        self.representative = representative
    }
}
