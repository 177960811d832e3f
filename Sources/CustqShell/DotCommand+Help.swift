import CustqDiagnostics
import CustqRender

extension DotCommand {
    /// Every statement form with an example, as `.help` lists them.
    static let statements: [(example: String, help: String)] = [
        ("top 10 by clv where tier = A", "rows with the largest values"),
        ("bottom 5 by csat", "rows with the smallest values"),
        ("show name, region where churned", "listed rows (order by …, limit N)"),
        ("count by region", "rows per group"),
        ("avg clv, nps by region, tier", "aggregates and metrics per group"),
        ("describe annual_revenue", "summary statistics"),
        ("histogram nps_score bins 5", "distribution"),
        ("chart avg annual_revenue by region", "bar chart"),
        ("rfm by region", "customers per RFM segment"),
        ("abc by monetary", "customers in ABC (Pareto) classes"),
        ("cohort by quarter", "retention of customers by the period of their first order"),
        ("retention by quarter", "customers active, new, retained per period; retention and churn %"),
        ("growth by month", "new customers and revenue per period, with growth %"),
        ("concentration by monetary", "the share held by the top 1, 5, 10, 20, 50 % of customers"),
        ("from orders count by channel", "a query on another table"),
        ("metrics", "every metric, and whether the loaded data can compute it"),
        ("explain nps", "what a metric means, with a worked example"),
        ("clv fit", "purchase and spend models (BG/NBD or Pareto/NBD, Gamma-Gamma) fitted on the orders"),
        ("define ltv = clv * 2", "a column or measure of your own"),
        ("undefine ltv", "remove yours (a built-in metric comes back)"),
    ]

    /// `.help`: every command and statement form; `.help TOPIC`: one of them.
    func help(in session: Session) throws(Diagnostic) {
        try expectArguments(0...1)
        let width = session.width
        if let topic = arguments.first {
            guard let text = HelpTopics.text(for: topic.text) else {
                throw ShellErrors.unknownHelpTopic(topic.text, line: line, column: topic.column, origin: origin)
            }
            session.emit(Prose.wrap(text, width: width, indent: "    "))
            return
        }
        var text = "commands:\n"
        text += Prose.columns(Self.catalogue.map { ($0.usage, $0.help) }, width: width)
        text += "\nstatements (.help TOPIC for one: " + HelpTopics.forms.map(\.name).joined(separator: ", ") + "):\n"
        text += Prose.columns(Self.statements, width: width)
        session.emit(Prose.wrap(text, width: width, indent: "  "))
    }
}
