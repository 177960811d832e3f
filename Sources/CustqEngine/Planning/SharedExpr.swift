import CustqResult
import CustqStore
import CustqLanguage

/// A definition bound once for a statement: its expression and what is known of it,
/// worked out once (a definition used at every level of a chain of definitions would
/// otherwise be walked again at each use, doubling with each level).
final class SharedExpr: @unchecked Sendable {
    let id: Int
    /// The definition's name (what the SQL writer calls its column).
    let name: String?
    let expr: BoundExpr
    let type: ValueType
    let usesAggregates: Bool
    let readsRowsOutsideAggregates: Bool
    let columnOutsideAggregates: Int?
    /// How many places of the statement use it; more than one: its value is kept.
    var uses = 1

    init(id: Int, name: String? = nil, expr: BoundExpr) {
        self.id = id
        self.name = name
        self.expr = expr
        type = expr.type
        usesAggregates = expr.usesAggregates
        readsRowsOutsideAggregates = expr.readsRowsOutsideAggregates
        columnOutsideAggregates = expr.columnOutsideAggregates
    }
}
