import CustqLanguage
import CustqStore

extension Describe {
    /// The columns described: those named, else every column of the table.
    func bind(columns: [Expr]) throws(EngineError) -> [BoundQuery.Output] {
        let table = runner.table
        guard !columns.isEmpty else {
            return table.columns.enumerated().map { i, column in
                BoundQuery.Output(expr: .column(i, ValueType(column.type)), name: column.name, unit: .none, range: runner.range)
            }
        }
        var binder = runner.makeBinder()
        var targets: [BoundQuery.Output] = []
        for expr in columns { targets.append(try runner.output(expr, named: runner.displayName(expr.range), &binder)) }
        return targets
    }
}
