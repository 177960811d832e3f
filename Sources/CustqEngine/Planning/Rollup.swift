import CustqResult
import CustqStore
import CustqLanguage

/// A roll-up: `call` computed over the rows of table `table` grouped by its key column,
/// then looked up for each row of the queried table by its own key.
struct Rollup: Sendable {
    /// The other table, by name (found in the statement's context when it runs).
    let table: String
    let keyHere: Int
    let keyThere: Int
    let call: AggregateCall
    /// Rows of `other` dated after `day` (in its column `dateColumn`) are left out: orders
    /// after an `.asof` date.
    var cutoff: (dateColumn: Int, day: Int32)?
}
