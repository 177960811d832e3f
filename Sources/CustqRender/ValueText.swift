import CustqStore

/// How single values are written as text.
public enum ValueText {
    /// Exact, machine-readable text (full precision, ISO dates); nil for null.
    public static func exact(_ column: Column, row: Int) -> String? {
        column.exactText(at: row)
    }
}

/// Number formatting for people and for machines.
public enum NumberFormat {
    /// `1234567` -> `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, character) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// The shortest text that reads back as the same double, always marked as a decimal:
    /// `0.1`, `3.0`, `1234.5`, `1e+21`.
    public static func shortest(_ value: Double) -> String {
        String(value)
    }
}
