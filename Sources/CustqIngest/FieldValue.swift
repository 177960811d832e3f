import CustqStore

/// What a field's text turned out to be. Made per field without allocating.
enum FieldValue {
    case null
    case integer(Int64)
    case decimal(Double)
    case boolean(Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since the epoch, UTC.
    case timestamp(Int64)
    /// Anything else: kept as a string.
    case text
    /// A whole number too large for 64 bits (a 20-digit id): kept as its text, so it stays
    /// exact, never rounded to a double.
    case bigInteger

    var inferredType: ColumnType? {
        switch self {
        case .null: nil
        case .integer: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .date: .date
        case .timestamp: .timestamp
        case .text, .bigInteger: .string
        }
    }
}
