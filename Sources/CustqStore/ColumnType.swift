/// The type of a column's values. Every column also has a validity bitmap for nulls.
public enum ColumnType: String, Sendable, Equatable, CaseIterable {
    /// 64-bit signed integers.
    case integer
    /// 64-bit IEEE doubles.
    case decimal
    case boolean
    /// Calendar dates, stored as days since 1970-01-01.
    case date
    /// Instants, stored as microseconds since 1970-01-01T00:00:00Z.
    case timestamp
    /// UTF-8 text, dictionary-encoded when values repeat.
    case string

    /// The name users see in `.schema` and error messages.
    public var displayName: String { rawValue }

    /// Parses a user-written type name such as `int`, `double`, `text`.
    public init?(userName: String) {
        switch userName.lowercased() {
        case "integer", "int", "int64", "bigint": self = .integer
        case "decimal", "double", "float", "number", "real": self = .decimal
        case "boolean", "bool": self = .boolean
        case "date": self = .date
        case "timestamp", "datetime": self = .timestamp
        case "string", "text", "varchar", "str": self = .string
        default: return nil
        }
    }
}
