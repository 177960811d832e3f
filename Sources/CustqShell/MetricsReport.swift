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
            case .unusable(let reason): usable = "no: " + reason
            }
            return [definition.about.kind ?? (definition.isBuiltIn ? "" : "yours"), definition.name,
                    definition.about.label ?? "", definition.about.chinese ?? "", per, definition.about.unit ?? "", usable]
        }
    }

    /// The list in an output format: a boxed table with a hint for people, exact text otherwise.
    static func render(_ engine: Engine, format: OutputFormat) -> String {
        let rows = rows(engine)
        guard !rows.isEmpty else { return "no metrics defined: define one with define NAME = EXPR\n" }
        guard format == .table else {
            let columns = headers.enumerated().map { index, header in
                Column(name: header, values: .string(StringColumn(storage: .plain(values: StringHeap(rows.map { $0[index] })))),
                       validity: ValidityBitmap(count: rows.count, allValid: true))
            }
            return ResultRenderer.render(Table(name: "metrics", columns: columns, rowCount: rows.count), format: format)
        }
        var grid = TextTable(headers: headers, rows: rows)
        grid.maxColumnWidth = 48
        return grid.render() + "explain NAME shows a metric's formula and how it is computed\n"
    }
}
