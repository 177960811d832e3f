import CustqResult

/// What running one statement gave.
public enum StatementOutcome: Sendable {
    case result(QueryResult)
    /// `define`: the name, and whether it is a per-row column or an aggregate measure.
    case defined(name: String, isAggregate: Bool, replaced: Bool)
    /// `undefine`: the name, and whether the built-in definition of that name is back.
    case undefined(name: String, restoredBuiltIn: Bool)
    /// `exit` or `quit`.
    case quit
    /// `help [TOPIC]`.
    case help(topic: String?)
    /// `metrics`: every definition, with what the loaded data makes of it.
    case metrics([MetricSummary])
    /// `explain NAME`: the metric's explanation, or why there is none.
    case explained(Result<MetricExplanation, ExplainRefusal>)
}
