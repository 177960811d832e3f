/// The words the language gives meaning to.
public enum Grammar {
    /// Words that start a statement.
    public static let heads = ["top", "bottom", "show", "count", "describe", "histogram", "chart", "cohort", "define", "from"]

    /// Every word a statement can start with, as completion and `.help` list them: the query
    /// heads, the segment and teaching statements (`rfm`, `abc`, `metrics`, `explain`) and
    /// `undefine`. (`exit`, `quit` and `help` are accepted too, but the dot-commands are the
    /// ones to learn.)
    public static let statementWords = ["top", "bottom", "show", "count", "describe", "histogram", "chart", "cohort",
                                        "rfm", "abc", "metrics", "explain", "define", "undefine", "from"]

    /// Words that end an expression and start a clause; a column with one of these names
    /// is written in backticks.
    public static let clauseWords: Set<String> = ["by", "where", "order", "limit", "show", "as", "asc", "desc", "bins", "from"]

    /// Words inside expressions.
    public static let operatorWords: Set<String> = ["and", "or", "not", "in", "between", "is", "null", "true", "false"]

    /// Aggregate functions, usable as `avg clv` or `avg(clv)`.
    public static let aggregates: [String: String] = [
        "count": "number of rows; count(COND) counts rows where COND is true",
        "sum": "total of the values", "avg": "mean of the values", "mean": "mean of the values",
        "min": "smallest value", "max": "largest value", "median": "middle value (50th percentile)",
        "stddev": "sample standard deviation", "distinct": "number of different values",
        "share": "fraction of rows where the condition is true",
        "p25": "25th percentile", "p75": "75th percentile", "p90": "90th percentile",
        "p95": "95th percentile", "p99": "99th percentile",
    ]

    /// Row functions with their argument counts and a short description.
    public static let functions: [String: (arity: ClosedRange<Int>, help: String)] = [
        "abs": (1...1, "absolute value"), "round": (1...2, "round(x) or round(x, digits)"),
        "floor": (1...1, "largest whole number not above x"), "ceil": (1...1, "smallest whole number not below x"),
        "sqrt": (1...1, "square root"), "ln": (1...1, "natural logarithm"), "exp": (1...1, "e to the power x"),
        "coalesce": (1...16, "first argument that is not null"), "if": (3...3, "if(condition, then, else)"),
        "year": (1...1, "year of a date"), "month": (1...1, "month (1-12) of a date"),
        "days_between": (2...2, "days from the first date to the second"), "today": (0...0, "the as-of date: .asof, else the latest order date loaded, else today"),
        "lower": (1...1, "text in lower case"), "upper": (1...1, "text in upper case"),
        "length": (1...1, "number of characters"),
        "prefer": (2...2, "prefer(a, b): a when the data it needs is loaded, else b"),
        "total": (1...1, "total(x): x summed over every row of the table (for shares of a whole)"),
        "abc": (1...3, "abc(x [, a, b]): A, B or C by cumulative share of x's total, largest first (≤ a% A, ≤ b% B, else C; 80 and 95 by default)"),
        "qcut": (2...2, "qcut(k, x): 1 to k by value cut points (the k-quantiles of x); equal values share a score"),
        "ntile": (2...2, "ntile(k, x): 1 to k, the equal-count group of x among all rows (smallest first, ties by key)"),
    ]

    public static var keywords: [String] {
        Array(Set(heads).union(clauseWords).union(operatorWords)).sorted()
    }
}
