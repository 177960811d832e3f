import CustqResult
import CustqStore
import CustqLanguage

/// A text column of the query's table compared with a constant (`region = 'North'`).
struct ValueCheck: Equatable, Sendable {
    let column: Int
    let value: String
}
