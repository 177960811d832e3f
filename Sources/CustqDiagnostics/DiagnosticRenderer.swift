import CustqText
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
            var prefix = visible(location.file ?? "")
            if let line = location.line {
                prefix += (prefix.isEmpty ? "line " : ":") + String(line)
                if let column = location.column { prefix += ":" + String(column) }
            }
            if !prefix.isEmpty { out += prefix + ": " }
        }
        out += diagnostic.severity.rawValue + ": " + visible(diagnostic.message) + "\n"
        if let location = diagnostic.location, let source = location.sourceLine {
            out += excerpt(source, line: location.line, column: location.column, length: location.length)
        }
        for note in diagnostic.notes { out += "  note: " + visible(note) + "\n" }
        if let help = diagnostic.help { out += "  help: " + visible(help) + "\n" }
        return out
    }

    /// Text with its control characters written out (`\x1B`, `\x00`): a name from a file
    /// or a statement must never reach the terminal as an escape sequence.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
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
