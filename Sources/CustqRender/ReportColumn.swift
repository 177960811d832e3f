import CustqResult
import CustqStore
import CustqText

/// Columns of reports made of text and counts (`metrics`, `.tables`, `.schema`).
public enum ReportColumn {
    public static func text(_ name: String, _ values: [String]) -> Column {
        Column(name: name, values: .string(StringColumn(storage: .plain(values: StringHeap(values)))),
               validity: ValidityBitmap(count: values.count, allValid: true))
    }

    public static func integers(_ name: String, _ values: [Int]) -> Column {
        Column(name: name, values: .integer(ValueBuffer(values.map(Int64.init))),
               validity: ValidityBitmap(count: values.count, allValid: true))
    }

    /// Counts with gaps: nil is null (a table on a database has no row count here).
    public static func integers(_ name: String, _ values: [Int?]) -> Column {
        var validity = ValidityBitmap()
        for value in values { validity.append(value != nil) }
        return Column(name: name, values: .integer(ValueBuffer(values.map { Int64($0 ?? 0) })), validity: validity)
    }
}
