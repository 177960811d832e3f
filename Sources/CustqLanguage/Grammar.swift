/// The words the language gives meaning to.
public enum Grammar {
    /// Words that start a statement.
    public static let heads = ["top", "bottom", "show", "count", "describe", "histogram", "chart", "cohort", "define", "from"]

    /// Every word a statement can start with, as completion and `.help` list them: the query
    /// heads, the segment and teaching statements (`rfm`, `abc`, `metrics`, `explain`) and
    /// `undefine`. (`exit`, `quit` and `help` are accepted too, but the dot-commands are the
    /// ones to learn.)
    public static let statementWords = ["top", "bottom", "show", "count", "describe", "histogram", "chart", "cohort",
                                        "retention", "growth", "concentration",
                                        "rfm", "abc", "metrics", "explain", "clv", "define", "undefine", "from"]

    /// Words that end an expression and start a clause; a column with one of these names
    /// is written in backticks.
    public static let clauseWords: Set<String> = ["by", "where", "order", "limit", "show", "as", "asc", "desc", "bins", "from"]

    /// Words inside expressions.
    public static let operatorWords: Set<String> = ["and", "or", "not", "in", "between", "is", "null", "true", "false", "like", "ilike"]

    /// The aggregates, which may be written without parentheses (`avg clv` as `avg(clv)`).
    /// What each computes, its arguments and help are in the engine's FunctionRegistry.
    public static let aggregateWords: Set<String> = [
        "count", "sum", "avg", "mean", "min", "max", "median", "stddev", "distinct", "share",
        "p25", "p75", "p90", "p95", "p99",
    ]

    public static var keywords: [String] {
        Array(Set(heads).union(clauseWords).union(operatorWords)).sorted()
    }
}
