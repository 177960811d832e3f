import CustqLanguage
import CustqStore

extension SQLWriter {
    /// `retention by PERIOD` and `growth by PERIOD` (PeriodTable): a row per period from the
    /// first purchase's to the as-of date's, from the purchases counted once per customer
    /// and period; the rates read the period before with `lag`.
    func periods(_ periods: BoundQuery.Periods, filter: BoundExpr?) throws(SQLRefusal) -> String {
        let columns = table.columns, cohorting = periods.orders, period = cohorting.period
        let key = try row(.column(cohorting.key, ValueType(columns[cohorting.key].type)))
        let date = try row(.column(cohorting.date, .date))
        let chosen = try filter.map { (f) throws(SQLRefusal) in [try row(f)] } ?? []
        let purchases = chosen + ["\(key) IS NOT NULL", "\(date) IS NOT NULL", "\(date) <= \(today)"]
        var lines = ""
        if periods.measure == .growth, let amountIndex = periods.amount, let dateIndex = periods.lineDate {
            let amount = try row(.column(amountIndex, ValueType(columns[amountIndex].type)))
            let lineDate = try row(.column(dateIndex, .date))
            let counted = chosen + ["\(key) IS NOT NULL", "\(lineDate) IS NOT NULL", "\(amount) IS NOT NULL", "\(lineDate) <= \(today)"]
            lines = "SELECT \(periodNumber(lineDate, period)) AS p, sum(\(dialect.double(amount))) AS r\n  FROM \(source)\n"
                + "  WHERE \(counted.joined(separator: " AND "))\n  GROUP BY 1"
        }
        formCTEs += [
            "counted AS (\n  SELECT DISTINCT \(key) AS k, \(periodNumber(date, period)) AS p\n  FROM \(source)\n"
                + "  WHERE \(purchases.joined(separator: " AND "))\n)",
            "firsts AS (\n  SELECT k, min(p) AS fp FROM counted GROUP BY k\n)",
            "span AS (\n  SELECT \(dialect.series(from: "bounds.lo", to: "bounds.hi")) AS p\n"
                + "  FROM (SELECT min(p) AS lo, \(periodNumber(today, period)) AS hi FROM counted) AS bounds\n)",
            "counts AS (\n  SELECT span.p, count(c.k) AS active, count(CASE WHEN f.fp = span.p THEN 1 END) AS fresh,"
                + " count(prev.k) AS retained\n  FROM span LEFT JOIN counted c ON c.p = span.p LEFT JOIN firsts f ON f.k = c.k\n"
                + "       LEFT JOIN counted prev ON prev.k = c.k AND prev.p = span.p - 1\n  GROUP BY span.p\n)",
        ]
        let q = dialect.quote
        func share(_ part: String, _ whole: String) -> String {
            "100.0 * \(dialect.double(part)) / \(dialect.double("NULLIF(\(whole), 0)"))"
        }
        switch periods.measure {
        case .retention:
            return """
                SELECT \(periodLabel(period)) AS \(q(period.rawValue)), active AS \(q("active")), fresh AS \(q("new")),
                       retained AS \(q("retained")), active - fresh - retained AS \(q("reactivated")),
                       \(share("retained", "prior")) AS \(q("retention %")),
                       100 - \(share("retained", "prior")) AS \(q("churn %")),
                       \(share("active - fresh", "prior")) AS \(q("contractual %"))
                FROM (SELECT counts.*, lag(active) OVER (ORDER BY p) AS prior FROM counts) AS periods
                ORDER BY p
                """
        case .growth:
            formCTEs.append("lines AS (\n  \(lines)\n)")
            return """
                SELECT \(periodLabel(period)) AS \(q(period.rawValue)), fresh AS \(q("new customers")), active AS \(q("customers")),
                       revenue AS \(q("revenue")),
                       100 * (revenue - prior) / NULLIF(prior, 0) AS \(q("revenue growth %"))
                FROM (SELECT counts.p, fresh, active, COALESCE(lines.r, 0) AS revenue,
                             lag(COALESCE(lines.r, 0)) OVER (ORDER BY counts.p) AS prior
                      FROM counts LEFT JOIN lines ON lines.p = counts.p) AS periods
                ORDER BY p
                """
        }
    }

    /// The period number `p` as custq labels it: `2024-03`, `2024-Q1`, `2024`.
    private func periodLabel(_ period: CohortPeriod) -> String {
        let text = dialect.textType
        func div(_ n: Int) -> String {
            switch dialect {
            case .duckdb: "p // \(n)"
            case .postgres: "p / \(n)"
            case .spark: "p div \(n)"
            }
        }
        switch period {
        case .month: return "CAST(\(div(12)) AS \(text)) || '-' || lpad(CAST(p % 12 + 1 AS \(text)), 2, '0')"
        case .quarter: return "CAST(\(div(4)) AS \(text)) || '-Q' || CAST(p % 4 + 1 AS \(text))"
        case .year: return "CAST(p AS \(text))"
        }
    }
}
