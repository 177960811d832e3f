/// One named, typed column: a contiguous array of values plus a validity bitmap.
public struct Column: Sendable, Equatable {
    /// Typed storage. A null row holds an unspecified value (0, false, empty).
    public enum Values: Sendable, Equatable {
        case integer(ValueBuffer<Int64>)
        case decimal(ValueBuffer<Double>)
        case boolean(ValueBuffer<Bool>)
        /// Days since 1970-01-01.
        case date(ValueBuffer<Int32>)
        /// Microseconds since 1970-01-01T00:00:00Z.
        case timestamp(ValueBuffer<Int64>)
        case string(StringColumn)
    }

    public var name: String
    public var values: Values
    public var validity: ValidityBitmap
    /// What the values measure, for showing them (percent, currency, statistics).
    public var unit: ColumnUnit = .none
    /// For a timestamp column whose values gave their offset from UTC (`-0500`, `Z`): each
    /// row's offset in seconds east of UTC, or `Column.noOffset` for a row written as a
    /// wall-clock time. The values are instants (UTC); a row's own date and time of day
    /// are the instant plus its offset. Nil when no value gave an offset: then the values
    /// are wall-clock times, kept as written.
    public var offsets: ValueBuffer<Int32>?
    /// How the loader read the column when it had to decide (`dates written month/day/year`,
    /// `money in ¥`), for `.schema`.
    public var reading: String?
    /// What the file says the column is, beyond its name (a survey's question text).
    public var description: String?
    /// Whether the source declares the values all different (a database's primary key or
    /// unique constraint); nil when it says nothing and the values are there to look at.
    public var declaredUnique: Bool?

    /// In `offsets`: the row gave no offset.
    public static let noOffset = Int32.min

    public init(name: String, values: Values, validity: ValidityBitmap, unit: ColumnUnit = .none) {
        self.name = name
        self.values = values
        self.validity = validity
        self.unit = unit
        precondition(validity.count == count, "validity bitmap and values disagree on row count")
    }

    public var type: ColumnType {
        switch values {
        case .integer: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .date: .date
        case .timestamp: .timestamp
        case .string: .string
        }
    }

    public var count: Int {
        switch values {
        case .integer(let v): v.count
        case .decimal(let v): v.count
        case .boolean(let v): v.count
        case .date(let v): v.count
        case .timestamp(let v): v.count
        case .string(let v): v.count
        }
    }

    public var nullCount: Int { validity.nullCount }

    public func isNull(_ row: Int) -> Bool { !validity.isValid(row) }

    /// The offset from UTC (seconds) row `row` gave, nil for a wall-clock time.
    public func offset(at row: Int) -> Int? {
        guard let offsets, offsets[row] != Self.noOffset else { return nil }
        return Int(offsets[row])
    }
}
