import CustqEngine
import CustqRender
import CustqStore

/// `metrics`: every definition grouped by kind, with its names, unit, whether it is a
/// per-customer value or a measure, and whether the loaded data can compute it.
enum MetricsReport {
    static func render(_ engine: Engine) -> String {
        let definitions = engine.definitions.values.sorted {
            ($0.about.kind ?? "~", $0.name) < ($1.about.kind ?? "~", $1.name)
        }
        guard !definitions.isEmpty else { return "no metrics defined: define one with define NAME = EXPR\n" }
        var grid = TextTable(headers: ["kind", "metric", "name", "中文", "per", "unit", "usable"])
        for definition in definitions {
            let problem = engine.problem(with: definition)
            let per = problem == nil ? (engine.isMeasure(definition) ? "group" : "customer") : ""
            grid.rows.append([definition.about.kind ?? (definition.isBuiltIn ? "" : "yours"), definition.name,
                              definition.about.label ?? "", definition.about.chinese ?? "", per,
                              definition.about.unit ?? "", problem.map { "no: " + $0 } ?? "yes"])
        }
        grid.maxColumnWidth = 48
        return grid.render() + "explain NAME shows a metric's formula and how it is computed\n"
    }
}
