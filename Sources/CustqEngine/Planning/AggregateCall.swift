import CustqResult
import CustqStore
import CustqLanguage

/// An aggregate function applied to the rows of each group.
struct AggregateCall: Sendable {
    enum Kind: Sendable, Equatable {
        case count, countIf, sum, avg, min, max, median, stddev, quantile(Double), distinct, share
    }

    var kind: Kind
    /// The values (or the condition, for countIf and share); nil for `count`.
    var argument: BoundExpr?
    var type: ValueType
    /// Where the statement wrote it, when it did (not inside a definition).
    var range: SourceRange?
}
