import CustqResult
import CustqStore
import CustqLanguage

/// A lookup: column `column` of the row of table `table` whose key equals this row's key.
struct Lookup: Sendable {
    /// The other table, by name (found in the statement's context when it runs).
    let table: String
    let keyHere: Int
    let keyThere: Int
    let column: Int
    let type: ValueType
}
