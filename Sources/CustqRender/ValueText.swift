import CustqStore

/// How single values are written as text.
public enum ValueText {
    /// Exact, machine-readable text (full precision, ISO dates); nil for null.
    public static func exact(_ column: Column, row: Int) -> String? {
        column.exactText(at: row)
    }
}
