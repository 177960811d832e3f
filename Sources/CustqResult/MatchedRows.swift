/// What a segment table's matched count is: customers, not rows of a filter.
public enum MatchedRows: Sendable, Equatable {
    /// `rfm`: customers with an RFM segment (and chosen by `where`, when `filtered`).
    case customersWithSegment(filtered: Bool)
    /// `abc by VALUE`: customers with a value (the value as written).
    case customersWithValue(String, filtered: Bool)
}
