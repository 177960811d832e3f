import CustqStore

/// The type of an expression's values. `null` is the type of the literal `null` alone.
public enum ValueType: String, Sendable, Equatable {
    case integer, decimal, boolean, date, timestamp, string, null

    init(_ type: ColumnType) {
        switch type {
        case .integer: self = .integer
        case .decimal: self = .decimal
        case .boolean: self = .boolean
        case .date: self = .date
        case .timestamp: self = .timestamp
        case .string: self = .string
        }
    }

    var isNumeric: Bool { self == .integer || self == .decimal }
}

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
