/// Renders a `Diagnostic` as text in the compiler style analysts know from other tools:
///
///     customers.csv:5:12: error: unterminated quoted field
///         5 | 17,"Acme, Inc,North
///           |    ^
///       note: …
///       help: …
public enum DiagnosticRenderer {
    /// Longest part of a source line that is shown; longer lines are cut around the caret.
    static let maxExcerptWidth = 100

    public static func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        if let location = diagnostic.location {
            var prefix = location.file ?? ""
            if let line = location.line {
                prefix += (prefix.isEmpty ? "line " : ":") + String(line)
                if let column = location.column { prefix += ":" + String(column) }
            }
            if !prefix.isEmpty { out += prefix + ": " }
        }
        out += diagnostic.severity.rawValue + ": " + diagnostic.message + "\n"
        if let location = diagnostic.location, let source = location.sourceLine {
            out += excerpt(source, line: location.line, column: location.column, length: location.length)
        }
        for note in diagnostic.notes { out += "  note: " + note + "\n" }
        if let help = diagnostic.help { out += "  help: " + help + "\n" }
        return out
    }

    /// The source line with a gutter, and a caret line when a column is known.
    static func excerpt(_ source: String, line: Int?, column: Int?, length: Int) -> String {
        var characters = Array(sanitized(source))
        var caretColumn = max(1, column ?? 1)
        // Keep the caret visible on very long lines by cutting the text around it.
        if characters.count > maxExcerptWidth {
            let start = max(0, min(caretColumn - 1 - maxExcerptWidth / 2, characters.count - maxExcerptWidth))
            let end = min(characters.count, start + maxExcerptWidth)
            var cut = Array(characters[start..<end])
            if start > 0 { cut.insert("…", at: 0) }
            if end < characters.count { cut.append("…") }
            caretColumn = caretColumn - start + (start > 0 ? 1 : 0)
            characters = cut
        }
        let gutter = line.map(String.init) ?? ""
        let pad = String(repeating: " ", count: gutter.count)
        var out = "    " + gutter + " | " + String(characters) + "\n"
        if column != nil {
            let before = characters.prefix(max(0, caretColumn - 1))
            let indent = before.reduce(0) { $0 + DisplayWidth.of($1) }
            let underlined = characters.dropFirst(max(0, caretColumn - 1)).prefix(max(1, length))
            let width = max(1, underlined.reduce(0) { $0 + DisplayWidth.of($1) })
            out += "    " + pad + " | " + String(repeating: " ", count: indent)
                + "^" + String(repeating: "~", count: width - 1) + "\n"
        }
        return out
    }

    /// Text for one line of a table: newlines and tabs shown as `↵` and a space.
    public static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            if scalar == "\n" { return "↵" }
            if scalar.value < 0x20 { return " " }
            return scalar
        }))
    }

    /// Tabs and control characters would break caret alignment: show them as one space / `�`.
    static func sanitized(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            if scalar == "\t" { return " " }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "\u{FFFD}" }
            return scalar
        }))
    }
}
