import CustqStore

/// One value, as written in a statement or computed for a group.
public enum Scalar: Sendable, Equatable {
    case null
    case integer(Int64)
    case decimal(Double)
    case boolean(Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    case timestamp(Int64)
    case string(String)

    /// The number held, for integers and decimals.
    var doubleValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .decimal(let v): v
        default: nil
        }
    }

    var type: ValueType {
        switch self {
        case .null: .null
        case .integer: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .date: .date
        case .timestamp: .timestamp
        case .string: .string
        }
    }

    var asDouble: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .decimal(let v): v
        default: nil
        }
    }
}
