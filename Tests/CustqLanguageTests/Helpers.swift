import CustqDiagnostics
import CustqLanguage

/// The rendered error of parsing `source`, or "parsed" when it parses.
func parseError(_ source: String) -> String {
    do {
        _ = try Parser.parse(source)
        return "parsed"
    } catch {
        return DiagnosticRenderer.render(error.diagnostic(in: source, file: nil))
    }
}
