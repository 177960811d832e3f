import CustqLanguage
import CustqResult
import CustqStore

/// `concentration by EXPR`: how much of EXPR's total the largest customers hold (the Pareto
/// summary beside ABC, METRICS.md D5). The top k % are the first ⌈k × n / 100⌉ of the n
/// customers with a value, largest first; their share is their sum over the sum of all n.
/// Which of several equal values is taken does not change a sum, so ties need no rule.
struct Concentration {
    let runner: QueryRunner

    static let percents = [1, 5, 10, 20, 50]

    func run(_ value: BoundQuery.Output, rows: [Int32]?) throws(EngineError) -> QueryResult {
        guard value.expr.type.isNumeric || value.expr.type == .null else {
            throw .statement(EngineErrors.needs("concentration needs a number per customer", found: value.expr.type,
                                                text: value.name, at: value.range))
        }
        let vector = try evaluating(value.range) { () throws(EvaluationError) in
            try runner.evaluator(rows: rows).evaluate(value.expr)
        }
        var values: [Double] = []
        if let all = vector.doubles {
            values.reserveCapacity(all.count)
            for i in all.indices where !vector.isNull(i) { values.append(all[i]) }
        }
        values.sort(by: >)
        // The sums of the largest 0, 1, 2, … values, in one pass.
        var running = [0.0]
        running.reserveCapacity(values.count + 1)
        for x in values { running.append(running[running.count - 1] + x) }
        let total = running[values.count]
        var labels: [String] = [], customers: [Int64] = [], sums: [Double] = [], shares: [Double?] = []
        for k in Self.percents {
            let n = (k * values.count + 99) / 100
            let sum = running[n]
            labels.append("top \(k)%")
            customers.append(Int64(n))
            sums.append(sum)
            shares.append(total != 0 ? 100 * sum / total : nil)
        }
        labels.append("all")
        customers.append(Int64(values.count))
        sums.append(total)
        shares.append(total != 0 ? 100 : nil)
        var sumColumn = Vector(storage: .decimal(sums), nulls: nil).column(named: value.name)
        sumColumn.unit = value.unit
        let columns = [
            Vector(storage: .string(StringValues(strings: labels)), nulls: nil).column(named: "customers"),
            Vector(storage: .integer(customers), nulls: nil).column(named: "count"),
            sumColumn,
            PeriodTable.decimals("share %", shares),
        ]
        var result = QueryResult(table: PeriodTable.withUnits(Table(name: "concentration", columns: columns, rowCount: labels.count)),
                                 rowsScanned: 0, rowsMatched: 0)
        result.notes.append(.concentration(value: value.name, customers: values.count, left: vector.count - values.count))
        return result
    }
}
