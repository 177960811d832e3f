import CustqDiagnostics
import CustqEngine
import CustqRender
import CustqStore

/// `metrics`: every definition grouped by kind, with its names, unit, whether it is a
/// per-customer value or a measure, and whether the loaded data can compute it.
enum MetricsReport {
    static let headers = ["kind", "metric", "name", "中文", "per", "unit", "usable"]

    /// One row of text per definition, by kind then name.
    static func rows(_ engine: Engine) -> [[String]] {
        engine.definitions.values.sorted { ($0.about.kind ?? "~", $0.name) < ($1.about.kind ?? "~", $1.name) }.map { definition in
            var per = "", usable = "yes"
            switch engine.status(of: definition) {
            case .perRow: per = "customer"
            case .measure: per = "group"
            case .unusable(let reason):
                per = engine.isMeasureByForm(definition) ? "group" : "customer"
                usable = "no: " + reason
            }
            return [definition.about.kind ?? (definition.isBuiltIn ? "" : "yours"), definition.name,
                    definition.about.label ?? "", definition.about.chinese ?? "", per, definition.about.unit ?? "", usable]
        }
    }

    /// The list in an output format: a boxed table with a hint for people, exact text otherwise.
    /// The list in an output format: a table fitted to `width` with a hint for people,
    /// exact text otherwise.
    static func render(_ engine: Engine, format: OutputFormat, width: Int?) -> String {
        let rows = rows(engine)
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
