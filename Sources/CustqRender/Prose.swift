import CustqText

/// Running text for the terminal: wrapped at word boundaries to the width of the screen.
public enum Prose {
    /// `text` wrapped to `width` display cells (nil: as it is). Lines it already has are
    /// kept; a wrapped line continues under `indent`. A word wider than the line stays whole.
    public static func wrap(_ text: String, width: Int?, indent: String = "") -> String {
        guard let width, width > DisplayWidth.of(indent) + 10 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            wrapLine(String(line), width: width, indent: indent)
        }.joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int, indent: String) -> String {
        guard DisplayWidth.of(line) > width else { return line }
        // Keep the line's own leading spaces (a list item's indent) on the first line.
        let lead = String(line.prefix { $0 == " " })
        var lines: [String] = []
        var current = lead
        var currentWidth = DisplayWidth.of(lead)
        let continuation = lead.count > indent.count ? lead + "  " : indent
        for word in line.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false) {
            let wordWidth = DisplayWidth.of(String(word))
            let startsLine = current == lead || current == continuation
            if !startsLine, currentWidth + 1 + wordWidth > width {
                lines.append(current)
                current = continuation
                currentWidth = DisplayWidth.of(continuation)
            }
            if current != lead && current != continuation { current += " "; currentWidth += 1 }
            current += word
            currentWidth += wordWidth
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}

extension Prose {
    /// Two columns of text, `  left  right`, the right one wrapped to the width; an entry
    /// whose left side is too wide for the column puts its right side on the next line.
    public static func columns(_ entries: [(String, String)], width: Int?) -> String {
        let lefts = entries.map { DisplayWidth.of($0.0) }
        let width = width ?? Int.max / 4
        // The left column is as wide as most entries need, but at most half the line.
        let sorted = lefts.sorted()
        let typical = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
        let column = min(typical, max(10, width / 2))
        let indent = String(repeating: " ", count: 2 + column + 2)
        var out = ""
        for (index, entry) in entries.enumerated() {
            if lefts[index] <= column {
                let line = "  " + DisplayWidth.pad(entry.0, to: column) + "  " + entry.1
                out += wrap(line, width: width, indent: indent) + "\n"
            } else {
                out += "  " + entry.0 + "\n"
                out += wrap(indent + entry.1, width: width, indent: indent) + "\n"
            }
        }
        return out
    }
}
