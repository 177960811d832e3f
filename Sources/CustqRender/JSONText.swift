import CustqDiagnostics
import CustqStore

/// JSON text for values.
enum JSONText {
    static func string(_ text: String) -> String {
        JSONString.quoted(text)
    }

    static func value(_ column: Column, row: Int) -> String {
        guard let text = column.exactText(at: row) else { return "null" }
        switch column.values {
        case .integer, .boolean: return text
        case .decimal(let v): return v[row].isFinite ? text : "null"
        default: return string(text)
        }
    }
}
