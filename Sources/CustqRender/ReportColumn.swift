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
}
