import CustqDiagnostics
import CustqEngine
import CustqRender

extension Session {
    /// `explain NAME`: what a metric means, its formula, what it is computed from, and a
    /// worked example on the loaded data (the engine's explanation, drawn by Render).
    func explain(_ words: [String], _ context: PieceContext) -> Outcome {
        guard words.count == 1 else {
            report(.error("explain takes one metric name", help: "e.g. explain nps; metrics lists them"))
            return .failed
        }
        do {
            let explanation = try engine.explanation(of: words[0])
            emit(ExplanationText.render(explanation, width: width, nullText: nullText))
            return .ok
        } catch {
            switch error {
            case .isAColumn(let column, let table, let type, let inDefaultTable):
                // `explain annual_revenue`: a column is described, not explained.
                report(.error("\(column) is a column of \(table) (\(type.displayName)), not a metric",
                              help: "describe \(column) summarises it\(inDefaultTable ? "" : " (from \(table) describe \(column))"); metrics lists the metrics"))
            case .unknown(let name, let closest):
                report(.error("no metric named '\(name)'", help: closest.map { "did you mean \($0)?" } ?? "metrics lists them"))
            }
            return .failed
        }
    }
}
