import CustqResult
import CustqStore
import CustqText

/// `metrics` drawn: a table of the definitions fitted to the terminal with a hint, or the
/// exact rows in a machine format.
public enum MetricsText {
    static let headers = ["kind", "metric", "name", "中文", "per", "unit", "usable"]

    /// One row of text per definition.
    static func rows(_ metrics: [MetricSummary]) -> [[String]] {
        metrics.map { metric in
            let usable: String
            switch metric.usable {
            case .yes: usable = "yes"
            case .no(let reason): usable = "no: " + reason
            }
            return [metric.kind ?? (metric.isYours ? "yours" : ""), metric.name, metric.label ?? "", metric.chinese ?? "",
                    metric.per == .group ? "group" : "customer", metric.unit ?? "", usable]
        }
    }

    /// The list in an output format: a table fitted to `width` with a hint for people,
    /// exact text otherwise.
    public static func render(_ metrics: [MetricSummary], format: OutputFormat, width: Int?) -> String {
        let rows = rows(metrics)
        guard !rows.isEmpty else { return "no metrics defined: define one with define NAME = EXPR\n" }
        let columns = headers.enumerated().map { index, header in ReportColumn.text(header, rows.map { $0[index] }) }
        let table = Table(name: "metrics", columns: columns, rowCount: rows.count)
        guard format == .table else { return ResultRenderer.render(table, format: format) }
        let (text, hidden) = ResultRenderer.people(table, rows: 0..<rows.count, nullText: "", width: width,
                                                   maxColumnWidth: 48)
        let more = hidden > 0 ? "… \(Plural.count(hidden, "more column")) (wider than the terminal; .format csv shows all)\n" : ""
        return text + more + "explain NAME shows a metric's formula and how it is computed\n"
    }
}
