import CustqStore

/// A canonical column name matched to a column of a loaded table (`.map`).
public struct CanonicalMatch: Sendable, Equatable {
    public let table: String
    public let column: String
    public let canonical: String
}
