import CustqDiagnostics
import CustqEngine
import CustqRender
import CustqResult

extension Session {
    /// `explain NAME`: the engine's explanation drawn by Render, or why there is none (a
    /// column, an unknown name). Returns false for the latter.
    func show(_ explained: Result<MetricExplanation, ExplainRefusal>) -> Bool {
        switch explained {
        case .success(let explanation):
            emit(ExplanationText.render(explanation, width: width, nullText: nullText))
            return true
        case .failure(.isAColumn(let column, let table, let type, let inDefaultTable)):
            // `explain annual_revenue`: a column is described, not explained.
            report(.error("\(column) is a column of \(table) (\(type.displayName)), not a metric",
                          help: "describe \(column) summarises it\(inDefaultTable ? "" : " (from \(table) describe \(column))"); metrics lists the metrics"))
            return false
        case .failure(.unknown(let name, let closest)):
            report(.error("no metric named '\(name)'", help: closest.map { "did you mean \($0)?" } ?? "metrics lists them"))
            return false
        }
    }
}
