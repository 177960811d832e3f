import CustqResult
import CustqStore

extension SQLWriter {
    /// `describe`: one row per column or expression, in the order named, with custq's
    /// columns (column, type, count, nulls, distinct, min, p25, median, p75, max, mean, std,
    /// top values). The values are read once into `described` (v1, v2, …); each row is an
    /// aggregate over its own value. min and max are text, as custq shows them whatever the
    /// type; a decimal's is the engine's own text of the same double (`100` on PostgreSQL,
    /// `100.0` in custq, `1.0E20` on Spark), which reads back as the same number.
    func describe(_ targets: [BoundQuery.Output], filter: BoundExpr?) throws(SQLRefusal) -> String {
        var values: [String] = []
        for target in targets { values.append(try row(target.expr)) }
        let conditions = try filter.map { (f) throws(SQLRefusal) in [try row(f)] } ?? []
        let columns = values.enumerated().map { "\($0.element) AS v\($0.offset + 1)" }
        formCTEs.append("described AS (\n  " + select(columns, where: conditions, order: [], limit: nil)
            .replacing("\n", with: "\n  ") + "\n)")
        let rows = targets.enumerated().map { index, target in
            describedRow(index + 1, name: target.name, type: target.expr.type)
        }
        let names = QueryResult.statisticsHeaders.map(dialect.quote).joined(separator: ", ")
        return "SELECT \(names)\nFROM (\n" + rows.joined(separator: "\nUNION ALL\n") + "\n) AS statistics\nORDER BY n"
    }

    /// The statistics of `v<n>` as one row, numbered `n` so the rows keep their order.
    private func describedRow(_ n: Int, name: String, type: ValueType) -> String {
        let v = "v\(n)", q = dialect.quote
        let noNumber = "CAST(NULL AS \(dialect.doubleType))", noText = "CAST(NULL AS \(dialect.textType))"
        let number = dialect.double(v)
        var cells: [(String, String)] = [
            ("\(n)", "n"),
            (dialect.literal(name), "column"),
            (dialect.literal(type.rawValue), "type"),
            ("count(\(v))", "count"),
            ("count(*) - count(\(v))", "nulls"),
            ("count(DISTINCT \(v))", "distinct"),
        ]
        let (low, high) = range(v, type)
        cells.append((low, "min"))
        if type.isNumeric {
            cells += [(dialect.percentile(0.25, of: number), "p25"), (dialect.percentile(0.5, of: number), "median"),
                      (dialect.percentile(0.75, of: number), "p75")]
        } else {
            cells += [(noNumber, "p25"), (noNumber, "median"), (noNumber, "p75")]
        }
        cells.append((high, "max"))
        if type.isNumeric {
            cells += [("avg(\(number))", "mean"), ("stddev_samp(\(number))", "std")]
        } else {
            cells += [(noNumber, "mean"), (noNumber, "std")]
        }
        cells.append((type == .string || type == .boolean ? topValues(v) : noText, "top values"))
        return "SELECT " + cells.map { "\($0.0) AS \(q($0.1))" }.joined(separator: ",\n       ") + "\nFROM described"
    }

    /// The smallest and largest value as text: text by its bytes, yes/no as false < true,
    /// a date as YYYY-MM-DD whatever PostgreSQL's DateStyle.
    private func range(_ v: String, _ type: ValueType) -> (String, String) {
        func text(_ sql: String) -> String {
            if dialect == .postgres, type == .date { return "to_char(\(sql), 'YYYY-MM-DD')" }
            return "CAST(\(sql) AS \(dialect.textType))"
        }
        switch type {
        case .boolean: return (text("bool_and(\(v))"), text("bool_or(\(v))"))
        case .string: return ("min(\(v)\(dialect.byteOrder))", "max(\(v)\(dialect.byteOrder))")
        default: return (text("min(\(v))"), text("max(\(v))"))
        }
    }

    /// The three most frequent values with their counts, `West (56), 华东 (52), East (51)`:
    /// the most rows first, ties by the value's bytes.
    private func topValues(_ v: String) -> String {
        let text = "CAST(\(v) AS \(dialect.textType))"
        let label = "\(text) || ' (' || CAST(c AS \(dialect.textType)) || ')'"
        func rank(_ r: Int) -> String { "max(CASE WHEN rn = \(r) THEN label END)" }
        return "(SELECT \(rank(1))\n"
            + "               || COALESCE(', ' || \(rank(2)), '')\n"
            + "               || COALESCE(', ' || \(rank(3)), '')\n"
            + "        FROM (SELECT \(label) AS label,\n"
            + "                     row_number() OVER (ORDER BY c DESC, \(text)\(dialect.byteOrder) ASC) AS rn\n"
            + "              FROM (SELECT \(v), count(*) AS c FROM described WHERE \(v) IS NOT NULL GROUP BY \(v)) AS frequencies\n"
            + "             ) AS ranked\n"
            + "        WHERE rn <= 3)"
    }
}
