import CustqLanguage
import CustqStore

extension SQLWriter {
    /// `cohort [by PERIOD]` in long form: one row per cohort and period since its first
    /// order (cohort, customers, the period number, the percent of the cohort with an order
    /// in it), ordered by cohort and period. custq's table has a column per period, as many
    /// as the data spans, which one SQL statement cannot name before it runs; these are its
    /// cells, the cells not yet known (after the as-of date) left out. Orders counted: with
    /// a customer and a date, not after the as-of date, and chosen by `where`.
    func cohort(_ cohorting: BoundQuery.Cohorting, filter: BoundExpr?) throws(SQLRefusal) -> String {
        let columns = table.columns
        let key = try row(.column(cohorting.key, ValueType(columns[cohorting.key].type)))
        let date = try row(.column(cohorting.date, .date))
        var conditions = ["\(key) IS NOT NULL", "\(date) IS NOT NULL", "\(date) <= \(today)"]
        if let filter { conditions.insert(try row(filter), at: 0) }
        let period = cohorting.period
        formCTEs += [
            "counted AS (\n  SELECT \(key) AS k, \(date) AS d, \(periodNumber(date, period)) AS p\n  FROM \(source)\n"
                + "  WHERE \(conditions.joined(separator: " AND "))\n)",
            "firsts AS (\n  SELECT k, min(d) AS first, min(p) AS p FROM counted GROUP BY k\n)",
            "sizes AS (\n  SELECT p, min(first) AS first, count(*) AS customers FROM firsts GROUP BY p\n)",
            "active AS (\n  SELECT firsts.p, counted.p - firsts.p AS since, count(DISTINCT counted.k) AS customers\n"
                + "  FROM counted JOIN firsts ON firsts.k = counted.k\n  GROUP BY 1, 2\n)",
            "cells AS (\n  SELECT sizes.p, sizes.first, sizes.customers, \(dialect.series(from: "0", to: "latest.p - sizes.p")) AS since\n"
                + "  FROM sizes CROSS JOIN (SELECT \(periodNumber(today, period)) AS p) AS latest\n)",
        ]
        let q = dialect.quote
        return """
            SELECT \(periodLabel("cells.first", period)) AS \(q("cohort")),
                   cells.customers AS \(q("customers")),
                   cells.since AS \(q(period.rawValue)),
                   100.0 * \(dialect.double("COALESCE(active.customers, 0)")) / cells.customers AS \(q("active %"))
            FROM cells LEFT JOIN active ON active.p = cells.p AND active.since = cells.since
            ORDER BY cells.p, cells.since
            """
    }

    /// How many orders a cohort table leaves out for having no date (the orders chosen, with
    /// a customer): one count.
    func ordersWithoutDate(_ cohorting: BoundQuery.Cohorting, filter: BoundExpr?) throws(SQLRefusal) -> String {
        let columns = table.columns
        let key = try row(.column(cohorting.key, ValueType(columns[cohorting.key].type)))
        let date = try row(.column(cohorting.date, .date))
        var conditions = ["\(key) IS NOT NULL", "\(date) IS NULL"]
        if let filter { conditions.insert(try row(filter), at: 0) }
        return withLayers(select(["count(*) AS \(dialect.quote("orders"))"], where: conditions, order: [], limit: nil))
    }

    /// A running number of the period holding `date`, as custq's: months and quarters since year 0.
    func periodNumber(_ date: String, _ period: CohortPeriod) -> String {
        let year = "CAST(EXTRACT(YEAR FROM \(date)) AS BIGINT)"
        switch period {
        case .month: return "(\(year) * 12 + CAST(EXTRACT(MONTH FROM \(date)) AS BIGINT) - 1)"
        case .quarter: return "(\(year) * 4 + CAST(EXTRACT(QUARTER FROM \(date)) AS BIGINT) - 1)"
        case .year: return year
        }
    }

    /// The period of `date` as custq labels it: `2024-03`, `2024-Q1`, `2024`.
    private func periodLabel(_ date: String, _ period: CohortPeriod) -> String {
        func text(_ part: String) -> String { "CAST(CAST(EXTRACT(\(part) FROM \(date)) AS BIGINT) AS \(dialect.textType))" }
        switch period {
        case .month: return "\(text("YEAR")) || '-' || lpad(\(text("MONTH")), 2, '0')"
        case .quarter: return "\(text("YEAR")) || '-Q' || \(text("QUARTER"))"
        case .year: return text("YEAR")
        }
    }
}
