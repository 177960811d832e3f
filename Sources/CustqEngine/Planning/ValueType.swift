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
