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
    public static let operatorWords: Set<String> = ["and", "or", "not", "in", "between", "is", "null", "true", "false", "like", "ilike"]

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
        "date": (1...2, "date(x [, format]): text read as a date (2024-01-05, 12/1/2010, 2024年1月5日; a format such as '%d/%m/%Y' says how), or a timestamp's own date"),
        "timestamp": (1...2, "timestamp(x [, format]): text read as a date and time ('%m/%d/%Y %I:%M %p'), or a date at midnight"),
        "number": (1...1, "number(x): text read as a number: ¥1,234.50, (1,234.00), 1.234,56, 25% (0.25)"),
        "integer": (1...1, "integer(x): a whole number; a fraction rounds to the nearest"),
        "text": (1...1, "text(x): the value as text (2024-01-05, 1234.5, true)"),
        "like": (2...2, "like(s, pattern) or s like pattern: % stands for any text, _ for one character"),
        "ilike": (2...2, "ilike(s, pattern) or s ilike pattern: like, in any case"),
        "contains": (2...2, "contains(s, t): whether t is in s"),
        "starts_with": (2...2, "starts_with(s, t): whether s begins with t"),
        "ends_with": (2...2, "ends_with(s, t): whether s ends with t"),
        "substr": (2...3, "substr(s, start [, length]): characters from start (1 is the first; -3 the third from the end)"),
        "replace": (3...3, "replace(s, from, to): every from in s replaced by to"),
        "trim": (1...1, "trim(s): s without spaces at either end"),
        "concat": (1...16, "concat(a, b, …): the values joined as text, nulls left out (a || b is null when either is)"),
        "month_of": (1...1, "month_of(d): the first day of d's month, for trends (count by month_of(order_date))"),
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
