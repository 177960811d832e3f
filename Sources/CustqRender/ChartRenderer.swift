import CustqStore
import CustqText

/// Horizontal bar charts for the terminal: labels aligned by display width, bars scaled
/// to the available width with eighth-block precision, the value after each bar.
public enum ChartRenderer {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// Labels of histogram bins, `147,588.15 – 221,372.00`: every edge with the same
    /// decimals (none when all are whole), dates as dates (`day` numbers since 1970-01-01).
    public static func binLabels(_ bins: [(low: Double, high: Double)], dates: Bool) -> [String] {
        if dates {
            return bins.map { CivilDate.isoString(ofDay: Int($0.low.rounded(.down))) + " – "
                + CivilDate.isoString(ofDay: Int($0.high.rounded(.down))) }
        }
        let edges = bins.flatMap { [$0.low, $0.high] }
        let decimals = PeopleText.decimals(for: edges, minimum: 0)
        return bins.map { PeopleText.fixed($0.low, decimals: decimals) + " – " + PeopleText.fixed($0.high, decimals: decimals) }
    }

    /// A row per period: `actual` as a bar, `expected` as ◆ on the same scale, then the text.
    public static func tracking(title: String, rows: [(label: String, actual: Double, expected: Double, text: String)],
                                width: Int) -> String {
        guard !rows.isEmpty else { return title + "\n(no data)\n" }
        let labelWidth = rows.map { DisplayWidth.of($0.label) }.max() ?? 0
        let textWidth = rows.map { DisplayWidth.of($0.text) }.max() ?? 0
        let room = max(10, width - labelWidth - textWidth - 4)
        let largest = rows.map { max($0.actual, $0.expected) }.max() ?? 0
        var out = title + " (█ actual, ◆ expected)\n"
        for row in rows {
            func cells(_ value: Double) -> Int { largest > 0 ? Int((value / largest * Double(room)).rounded()) : 0 }
            var line = [String](repeating: " ", count: room + 1)
            for cell in 0..<min(room, cells(row.actual)) { line[cell] = "█" }
            line[min(room, max(0, cells(row.expected) - 1))] = "◆"
            while line.last == " " { line.removeLast() }
            out += DisplayWidth.pad(row.label, to: labelWidth) + " │" + line.joined() + " " + row.text + "\n"
        }
        return out
    }

    /// `bars` are (label, value, value as text); a nil value draws no bar.
    public static func render(title: String, bars: [(label: String, value: Double?, text: String)], width: Int) -> String {
        guard !bars.isEmpty else { return title + "\n(no data)\n" }
        let labelWidth = min(30, bars.map { DisplayWidth.of($0.label) }.max() ?? 0)
        let textWidth = bars.map { DisplayWidth.of($0.text) }.max() ?? 0
        let room = max(10, width - labelWidth - textWidth - 4)
        let largest = bars.compactMap { $0.value.map(abs) }.max() ?? 0
        var out = title + "\n"
        for bar in bars {
            let label = DisplayWidth.pad(DisplayWidth.truncate(bar.label, to: labelWidth), to: labelWidth)
            let eighthsCount = largest > 0 ? Int((abs(bar.value ?? 0) / largest * Double(room) * 8).rounded()) : 0
            let blocks = String(repeating: "█", count: eighthsCount / 8) + eighths[eighthsCount % 8]
            out += label + " │" + blocks + " " + bar.text + "\n"
        }
        return out
    }
}
