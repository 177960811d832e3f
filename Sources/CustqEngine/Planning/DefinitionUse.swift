import CustqResult
import CustqStore
import CustqLanguage

/// A definition used in one kind of place: a value per row, an aggregate list (whose
/// aggregates belong to one binder's list), or inside an aggregate.
struct DefinitionUse: Hashable {
    let name: String
    let allowAggregates: Bool
    let insideAggregate: Bool
    let aggregateList: Int
}
