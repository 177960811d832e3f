import CustqStore

/// What `describe` found in one column (or expression), as data.
public struct ColumnStatistics: Sendable, Equatable {
    /// A smallest or largest value, in the column's own type.
    public enum Value: Sendable, Equatable {
        case integer(Int64), decimal(Double), boolean(Bool), date(Int32), timestamp(Int64), text(String)
    }

    /// A frequent value of a text or yes/no column, and how many rows hold it.
    public struct Frequent: Sendable, Equatable {
        public let value: String
        public let count: Int

        public init(value: String, count: Int) {
            self.value = value
            self.count = count
        }
    }

    public var name: String
    /// The value type's name (integer, decimal, string, …).
    public var type: String
    /// Rows with a value, and rows without.
    public var count: Int
    public var nulls: Int
    public var distinct: Int?
    public var min: Value?
    public var max: Value?
    /// For numbers: the quartiles, the mean and the sample standard deviation.
    public var p25: Double?
    public var median: Double?
    public var p75: Double?
    public var mean: Double?
    public var std: Double?
    /// For text and yes/no: the three most frequent values.
    public var topValues: [Frequent] = []

    public init(name: String, type: String, count: Int, nulls: Int) {
        self.name = name
        self.type = type
        self.count = count
        self.nulls = nulls
    }
}

extension QueryResult {
    public static let statisticsHeaders = ["column", "type", "count", "nulls", "distinct", "min", "p25", "median", "p75", "max",
                                    "mean", "std", "top values"]

    /// `describe`'s result: the statistics, and the table every output format writes — one
    /// row per column described, min and max written exactly as text whatever their type,
    /// each cell marked as a value or a moment in that column's terms.
    public init(describing statistics: [ColumnStatistics]) {
        func texts(_ name: String, _ values: [String?], unit: ColumnUnit = .none) -> Column {
            Column(name: name, values: .string(StringColumn(storage: .plain(values: StringHeap(values.map { $0 ?? "" })))),
                   validity: Self.validity(values.map { $0 != nil }), unit: unit)
        }
        func integers(_ name: String, _ values: [Int?]) -> Column {
            Column(name: name, values: .integer(ValueBuffer(values.map { Int64($0 ?? 0) })),
                   validity: Self.validity(values.map { $0 != nil }))
        }
        func decimals(_ name: String, _ values: [Double?], unit: ColumnUnit) -> Column {
            Column(name: name, values: .decimal(ValueBuffer(values.map { $0 ?? 0 })),
                   validity: Self.validity(values.map { $0 != nil }), unit: unit)
        }
        let s = statistics
        let columns = [
            texts("column", s.map(\.name)),
            texts("type", s.map(\.type), unit: .statisticType),
            integers("count", s.map(\.count)),
            integers("nulls", s.map(\.nulls)),
            integers("distinct", s.map(\.distinct)),
            texts("min", s.map { $0.min.map(Self.exactText) }, unit: .statisticValue),
            decimals("p25", s.map(\.p25), unit: .statisticValue),
            decimals("median", s.map(\.median), unit: .statisticValue),
            decimals("p75", s.map(\.p75), unit: .statisticValue),
            texts("max", s.map { $0.max.map(Self.exactText) }, unit: .statisticValue),
            decimals("mean", s.map(\.mean), unit: .statisticMoment),
            decimals("std", s.map(\.std), unit: .statisticMoment),
            texts("top values", s.map { $0.topValues.isEmpty ? nil : $0.topValues.map { "\($0.value) (\($0.count))" }
                .joined(separator: ", ") }),
        ]
        self.init(table: Table(name: "describe", columns: columns, rowCount: s.count), rowsScanned: 0, rowsMatched: 0)
        self.statistics = statistics
    }

    private static func validity(_ valid: [Bool]) -> ValidityBitmap {
        var bitmap = ValidityBitmap()
        bitmap.reserveCapacity(valid.count)
        for isValid in valid { bitmap.append(isValid) }
        return bitmap
    }

    /// A value exactly as text (an integer's every digit; a date as YYYY-MM-DD).
    static func exactText(_ value: ColumnStatistics.Value) -> String {
        switch value {
        case .integer(let x): String(x)
        case .decimal(let x): String(x)
        case .boolean(let b): b ? "true" : "false"
        case .date(let d): CivilDate.isoString(ofDay: Int(d))
        case .timestamp(let t): CivilDate.isoString(ofTimestamp: t)
        case .text(let s): s
        }
    }
}
