import CustqDiagnostics
import CustqText

/// A grid of text cells drawn with box characters, aligned by display width
/// (CJK characters take two cells), numbers right-aligned.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left, right
    }

    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]
    /// Cells wider than this are cut with `…`.
    public var maxColumnWidth = 40
    /// The terminal's width: wider tables have their widest columns cut to fit.
    public var totalWidth: Int?
    /// Terminal escape codes to colour body cells (`styles[row][column]`, nil: plain).
    public var styles: [[String?]]?
    /// Columns whose values are never cut to fit (a row's label, dates); right-aligned
    /// columns (numbers) are never cut either.
    public var protectedColumns: Set<Int> = []
    /// The narrowest a text column is cut to, so what is left stays readable.
    public static let narrowestText = 10
    /// The narrowest the header of a protected column is cut to.
    public static let narrowestHeader = 12

    public init(headers: [String], alignments: [Alignment]? = nil, rows: [[String]] = []) {
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .left, count: headers.count)
        self.rows = rows
    }

    /// Cells as drawn before any fitting: one line each, cut at maxColumnWidth.
    private var uncutCells: [[String]] {
        ([headers] + rows).map { row in
            row.enumerated().map { index, cell in
                let line = DiagnosticRenderer.singleLine(cell)
                let keep = index < alignments.count && (alignments[index] == .right || protectedColumns.contains(index))
                return keep ? line : DisplayWidth.truncate(line, to: maxColumnWidth)
            }
        }
    }

    /// How narrow each column may get: text down to `narrowestText` cells, but a number, a
    /// date or a row's label is never cut (its header down to `narrowestHeader` cells).
    private func minimumWidths(_ cells: [[String]]) -> [Int] {
        headers.indices.map { i in
            let natural = cells.map { i < $0.count ? DisplayWidth.of($0[i]) : 0 }
            guard alignments[i] == .right || protectedColumns.contains(i) else {
                return min(natural.max() ?? 1, Self.narrowestText)
            }
            return max(natural.dropFirst().max() ?? 1, min(natural[0], Self.narrowestHeader), 1)
        }
    }

    /// How many leading columns fit in `width` terminal cells at their narrowest (at least one).
    public func columnsFitting(_ width: Int) -> Int {
        var used = 1, count = 0
        for minimum in minimumWidths(uncutCells) {
            used += minimum + 3
            if used > width { break }
            count += 1
        }
        return max(1, count)
    }

    public func render() -> String {
        let uncut = uncutCells
        var widths = [Int](repeating: 1, count: headers.count)
        for row in uncut {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        if let totalWidth {
            // Each column costs its width plus 3 (spaces and rule); narrow the widest that may
            // still narrow first.
            let minimum = minimumWidths(uncut)
            while widths.reduce(1, { $0 + $1 + 3 }) > totalWidth,
                  let widest = widths.indices.filter({ widths[$0] > minimum[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
            }
        }
        let cells = uncut.map { row in row.enumerated().map { i, cell in i < widths.count ? DisplayWidth.truncate(cell, to: widths[i]) : cell } }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        func line(_ row: [String], header: Bool, styles: [String?]?) -> String {
            var out = "│"
            for (i, width) in widths.enumerated() {
                let cell = i < row.count ? row[i] : ""
                let right = !header && alignments[i] == .right
                let padded = " " + DisplayWidth.pad(cell, to: width, alignRight: right) + " "
                if let style = styles?[i] { out += style + padded + "\u{1B}[0m│" } else { out += padded + "│" }
            }
            return out + "\n"
        }
        var out = rule("┌", "┬", "┐")
        out += line(cells[0], header: true, styles: nil)
        out += rule("├", "┼", "┤")
        for (index, row) in cells.dropFirst().enumerated() {
            out += line(row, header: false, styles: styles.flatMap { index < $0.count ? $0[index] : nil })
        }
        out += rule("└", "┴", "┘")
        return out
    }
}
