import CustqLanguage

/// Every built-in function and aggregate, in one place.
public enum FunctionRegistry {
    public static let all: [BuiltInFunction] = aggregates + rows + models + wholeTable

    private static let aggregates: [BuiltInFunction] = [
        .init("count", .aggregate, 0...1, .own, "number of rows; count(COND) counts rows where COND is true"),
        .init("sum", .aggregate, 1...1, .own, "total of the values"),
        .init("avg", .aggregate, 1...1, .own, "mean of the values"),
        .init("mean", .aggregate, 1...1, .own, "mean of the values"),
        .init("min", .aggregate, 1...1, .own, "smallest value"),
        .init("max", .aggregate, 1...1, .own, "largest value"),
        .init("median", .aggregate, 1...1, .own, "middle value (50th percentile)"),
        .init("stddev", .aggregate, 1...1, .own, "sample standard deviation"),
        .init("distinct", .aggregate, 1...1, .own, "number of different values"),
        .init("share", .aggregate, 1...1, .own, "fraction of rows where the condition is true"),
        .init("p25", .aggregate, 1...1, .own, "25th percentile"),
        .init("p75", .aggregate, 1...1, .own, "75th percentile"),
        .init("p90", .aggregate, 1...1, .own, "90th percentile"),
        .init("p95", .aggregate, 1...1, .own, "95th percentile"),
        .init("p99", .aggregate, 1...1, .own, "99th percentile"),
    ]

    private static let rows: [BuiltInFunction] = [
        .init("abs", .row, 1...1, .values(Functions.abs), "absolute value",
              [.number], .likeItsNumber),
        .init("round", .row, 1...2, .values(Functions.rounding(.toNearestOrAwayFromZero)), "round(x) or round(x, digits)",
              [.number, .digits], .rounded),
        .init("floor", .row, 1...1, .values(Functions.rounding(.down)), "largest whole number not above x",
              [.number], .likeItsNumber),
        .init("ceil", .row, 1...1, .values(Functions.rounding(.up)), "smallest whole number not below x",
              [.number], .likeItsNumber),
        .init("sqrt", .row, 1...1, .values(Functions.sqrt), "square root",
              [.number], .fractional),
        .init("ln", .row, 1...1, .values(Functions.ln), "natural logarithm",
              [.number], .fractional),
        .init("exp", .row, 1...1, .values(Functions.exp), "e to the power x",
              [.number], .fractional),
        .init("coalesce", .row, 1...16, .values(Functions.coalesce), "first argument that is not null",
              [], .sharedType),
        .init("if", .row, 3...3, .values(Functions.ifThenElse), "if(condition, then, else)",
              [], .sharedType),
        .init("year", .row, 1...1, .values(Functions.year), "year of a date",
              [.date], .fixed(.integer)),
        .init("month", .row, 1...1, .values(Functions.month), "month (1-12) of a date",
              [.date], .fixed(.integer)),
        .init("days_between", .row, 2...2, .values(Functions.daysBetween), "days from the first date to the second",
              [.date, .date], .fixed(.integer)),
        .init("today", .row, 0...0, .values(Functions.today), "the as-of date: .asof, else the latest order date loaded, else today",
              [], .fixed(.date)),
        .init("lower", .row, 1...1, .values(Functions.cased { $0.lowercased() }), "text in lower case",
              [.text], .fixed(.string)),
        .init("upper", .row, 1...1, .values(Functions.cased { $0.uppercased() }), "text in upper case",
              [.text], .fixed(.string)),
        .init("length", .row, 1...1, .values(Functions.length), "number of characters",
              [.text], .fixed(.integer)),
        .init("date", .row, 1...2, .text(TextFunctions.date), "date(x [, format]): text read as a date (2024-01-05, 12/1/2010, 2024年1月5日; a format such as '%d/%m/%Y' says how), or a timestamp's own date",
              [.textOrDate], .fixed(.date)),
        .init("timestamp", .row, 1...2, .text(TextFunctions.timestamp), "timestamp(x [, format]): text read as a date and time ('%m/%d/%Y %I:%M %p'), or a date at midnight",
              [.textOrDate], .fixed(.timestamp)),
        .init("number", .row, 1...1, .text(TextFunctions.number), "number(x): text read as a number: ¥1,234.50, (1,234.00), 1.234,56, 25% (0.25)",
              [.textOrNumber], .fixed(.decimal)),
        .init("integer", .row, 1...1, .text(TextFunctions.integer), "integer(x): a whole number; a fraction rounds to the nearest",
              [.textNumberOrYesNo], .fixed(.integer)),
        .init("text", .row, 1...1, .text(TextFunctions.text), "text(x): the value as text (2024-01-05, 1234.5, true)",
              [], .fixed(.string)),
        .init("like", .row, 2...2, .text(TextFunctions.like(folded: false)), "like(s, pattern) or s like pattern: % stands for any text, _ for one character",
              [.text, .pattern], .fixed(.boolean)),
        .init("ilike", .row, 2...2, .text(TextFunctions.like(folded: true)), "ilike(s, pattern) or s ilike pattern: like, in any case",
              [.text, .pattern], .fixed(.boolean)),
        .init("contains", .row, 2...2, .text(TextFunctions.textTest { $1.isEmpty || $0.contains($1) }), "contains(s, t): whether t is in s",
              [.text, .text], .fixed(.boolean)),
        .init("starts_with", .row, 2...2, .text(TextFunctions.textTest { $0.hasPrefix($1) }), "starts_with(s, t): whether s begins with t",
              [.text, .text], .fixed(.boolean)),
        .init("ends_with", .row, 2...2, .text(TextFunctions.textTest { $0.hasSuffix($1) }), "ends_with(s, t): whether s ends with t",
              [.text, .text], .fixed(.boolean)),
        .init("substr", .row, 2...3, .text(TextFunctions.substr), "substr(s, start [, length]): characters from start (1 is the first; -3 the third from the end)",
              [.text, .start, .characters], .fixed(.string)),
        .init("replace", .row, 3...3, .text(TextFunctions.replace), "replace(s, from, to): every from in s replaced by to",
              [.text, .text, .text], .fixed(.string)),
        .init("trim", .row, 1...1, .text(TextFunctions.trim), "trim(s): s without spaces at either end",
              [.text], .fixed(.string)),
        .init("concat", .row, 1...16, .text(TextFunctions.concat), "concat(a, b, …): the values joined as text, nulls left out (a || b is null when either is)",
              [], .fixed(.string)),
        .init("||", .row, 2...2, .text(TextFunctions.joined), "a || b: a and b joined as text; null when either is",
              [], .fixed(.string)),
        .init("month_of", .row, 1...1, .text(TextFunctions.monthOf), "month_of(d): the first day of d's month, for trends (count by month_of(order_date))",
              [.date], .fixed(.date)),
    ]

    /// The predictive models' kernels, and the calls that apply the fitted models to a customer.
    private static let models: [BuiltInFunction] = [
        .init("bgnbd_p_alive", .row, 7...7, .values(ModelFunctions.pAlive(ModelFunctions.bgnbd)),
              "bgnbd_p_alive(x, t_x, T, r, alpha, a, b): BG/NBD's probability that a customer with this history is alive",
              Array(repeating: .number, count: 7), .fixed(.decimal)),
        .init("pnbd_p_alive", .row, 7...7, .values(ModelFunctions.pAlive(ModelFunctions.pnbd)),
              "pnbd_p_alive(x, t_x, T, r, alpha, s, beta): Pareto/NBD's probability that a customer with this history is alive",
              Array(repeating: .number, count: 7), .fixed(.decimal)),
        .init("bgnbd_expected_purchases", .row, 8...8, .values(ModelFunctions.expectedPurchases(ModelFunctions.bgnbd)),
              "bgnbd_expected_purchases(t, x, t_x, T, r, alpha, a, b): BG/NBD's expected purchases in the next t time units",
              Array(repeating: .number, count: 8), .fixed(.decimal)),
        .init("pnbd_expected_purchases", .row, 8...8, .values(ModelFunctions.expectedPurchases(ModelFunctions.pnbd)),
              "pnbd_expected_purchases(t, x, t_x, T, r, alpha, s, beta): Pareto/NBD's expected purchases in the next t time units",
              Array(repeating: .number, count: 8), .fixed(.decimal)),
        .init("gg_expected_spend", .row, 5...5, .values(ModelFunctions.expectedSpend),
              "gg_expected_spend(x, m, p, q, v): Gamma-Gamma's expected value per purchase (null when q <= 1)",
              Array(repeating: .number, count: 5), .fixed(.decimal)),
        .init("bgnbd_gg_clv", .row, 14...14, .values(ModelFunctions.customerValue(ModelFunctions.bgnbd)),
              "bgnbd_gg_clv(months, monthly_discount, unit_days, x, t_x, T, m, r, alpha, a, b, p, q, v): expected spend over the months, discounted",
              Array(repeating: .number, count: 14), .fixed(.decimal)),
        .init("pnbd_gg_clv", .row, 14...14, .values(ModelFunctions.customerValue(ModelFunctions.pnbd)),
              "pnbd_gg_clv(months, monthly_discount, unit_days, x, t_x, T, m, r, alpha, s, beta, p, q, v): expected spend over the months, discounted",
              Array(repeating: .number, count: 14), .fixed(.decimal)),
        .init("expected_purchases", .model, 1...1, .own,
              "expected_purchases(t): each customer's expected purchases in the next t time units of the model (clv fit)"),
        .init("predicted_clv", .model, 1...2, .own,
              "predicted_clv(months [, monthly_discount]): each customer's expected spend over the months (30.4375 days each), discounted monthly (0.01 by default; clv fit)"),
    ]

    private static let wholeTable: [BuiltInFunction] = [
        .init("prefer", .choice, 2...2, .own, "prefer(a, b): a when the data it needs is loaded, else b"),
        .init("total", .wholeTable, 1...1, .own, "total(x): x summed over every row of the table (for shares of a whole)"),
        .init("abc", .wholeTable, 1...3, .own, "abc(x [, a, b]): A, B or C by cumulative share of x's total, largest first (≤ a% A, ≤ b% B, else C; 80 and 95 by default)"),
        .init("qcut", .wholeTable, 2...2, .own, "qcut(k, x): 1 to k by value cut points (the k-quantiles of x); equal values share a score"),
        .init("ntile", .wholeTable, 2...2, .own, "ntile(k, x): 1 to k, the equal-count group of x among all rows (smallest first, ties by key)"),
    ]

    private static let byName: [String: BuiltInFunction] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The built-in of this name (lowercased), if there is one.
    public static func named(_ name: String) -> BuiltInFunction? { byName[name] }

    /// The names of the aggregates, sorted.
    public static var aggregateNames: [String] { all.filter { $0.kind == .aggregate }.map(\.name).sorted() }

    /// The names of the functions called with parentheses (not aggregates, not operators), sorted.
    public static var functionNames: [String] {
        all.filter { $0.kind != .aggregate && $0.name.first?.isLetter == true }.map(\.name).sorted()
    }
}
