import CustqLanguage
import CustqStore

/// Writes a bound query as one SQL statement for a dialect: the second consumer of the
/// plan, beside the columnar executor, and held to the same answers.
///
/// The statement is built in layers. The base is the query's table with each roll-up (an
/// aggregate of another table per key, grouped there first) and lookup joined to it. Values
/// computed over every row of the table (ntile, abc, qcut, total) and definitions used more
/// than once are columns of later layers, each a CTE over the one before, so a window never
/// sits inside an aggregate or a GROUP BY. The query's own form (where, groups, order,
/// limit) reads the last layer. Anything the dialect cannot say exactly is refused with the
/// reason, never written approximately.
final class SQLWriter {
    let dialect: SQLDialect
    let runner: QueryRunner
    /// What `today()` is in SQL: the `.asof` date, the latest order date, or the real date.
    let today: String

    /// Columns computed in a layer: its name, and its SQL in the scope of the layer below.
    private var layers: [[(name: String, sql: String)]] = []
    /// The joins of the base layer, and the columns they bring (name, SQL in the join's scope).
    private var joins: [String] = []
    private var joinColumns: [(name: String, sql: String)] = []
    /// Aggregate CTEs read by cross joins (qcut's cut points): name and SQL.
    private var cutPoints: [(name: String, sql: String, layer: Int)] = []
    /// CTEs of the form itself (a histogram's values and bins), after the layers.
    var formCTEs: [String] = []
    /// What each computed value is called, by its SQL (roll-ups by their subquery and key).
    private var named: [String: (name: String, layer: Int)] = [:]
    private var usedNames: Set<String>
    /// The name of the definition whose whole value the next window is.
    var nameHint: String?

    func takeNameHint() -> String? {
        defer { nameHint = nil }
        return nameHint
    }

    /// The SQL of the columns custq adds to the orders (purchase_id, purchase_date, a
    /// computed amount), by name; `computedTable` is the orders table they belong to.
    let computed: [String: String]
    let computedTable: String?

    init(dialect: SQLDialect, runner: QueryRunner, today: String, computed: (table: String, columns: [String: String])? = nil) {
        self.dialect = dialect
        self.runner = runner
        self.today = today
        self.computed = computed?.columns ?? [:]
        computedTable = computed?.table
        usedNames = Set(runner.table.columns.map { $0.name.lowercased() })
    }

    var table: Table { runner.table }

    /// A column custq adds to `table`, as SQL; refused when it has none.
    func addedColumn(_ name: String, of table: Table) throws(SQLRefusal) -> String {
        guard table.name == computedTable, let sql = computed[name] else {
            throw SQLRefusal("\(name) is computed by custq from \(table.name) in a way not written as SQL yet")
        }
        return sql
    }

    /// The SQL of the plan.
    func write(_ plan: BoundQuery) throws(SQLRefusal) -> String {
        // rfm and abc by are the aggregate lists they stand for; abc's first column is its class.
        var firstName: String?
        if case .abc = plan.segments?.form { firstName = "class" }
        let query: String
        switch plan.form {
        case .top(let ranking): query = try top(ranking, filter: plan.filter?.condition)
        case .show(let listing): query = try show(listing, filter: plan.filter?.condition)
        case .aggregate(let summary): query = try aggregate(summary, filter: plan.filter?.condition, firstName: firstName)
        case .describe(let targets): query = try describe(targets, filter: plan.filter?.condition)
        case .histogram(let values, let bins): query = try histogram(values, bins: bins, filter: plan.filter?.condition)
        case .cohort(let cohorting): query = try cohort(cohorting, filter: plan.filter?.condition)
        case .periods(let periods): query = try self.periods(periods, filter: plan.filter?.condition)
        case .concentration: throw SQLRefusal("concentration is not written as SQL yet")
        }
        return withLayers(query)
    }

    // MARK: forms

    private func top(_ ranking: BoundQuery.Ranking, filter: BoundExpr?) throws(SQLRefusal) -> String {
        let key = try row(ranking.key.expr)
        var columns: [String] = []
        var names = Set<String>()
        func add(_ sql: String, _ name: String) {
            guard names.insert(name.lowercased()).inserted else { return }
            columns.append("\(sql) AS \(dialect.quote(name))")
        }
        let ids = runner.identifyingColumns
        for index in ids { add(dialect.quote(table.columns[index].name), table.columns[index].name) }
        add(key, ranking.key.name)
        for item in ranking.extra { add(try row(item.expr), item.name) }
        var conditions = ["\(key) IS NOT NULL"]
        if let filter { conditions.insert(try row(filter), at: 0) }
        var order = [sortKey(key, type: ranking.key.expr.type, descending: ranking.descending)]
        if let tie = ids.first {
            order.append(sortKey(dialect.quote(table.columns[tie].name), type: ValueType(table.columns[tie].type), descending: false))
        } else {
            throw SQLRefusal("top breaks ties by the table's key, and \(table.name) has none (a column ending in _id whose values all differ)")
        }
        return select(columns, where: conditions, order: order, limit: ranking.count)
    }

    private func show(_ listing: BoundQuery.Listing, filter: BoundExpr?) throws(SQLRefusal) -> String {
        var columns: [String] = []
        var sqls: [String] = []
        for output in listing.columns {
            let sql = try row(output.expr)
            sqls.append(sql)
            columns.append("\(sql) AS \(dialect.quote(output.name))")
        }
        var order: [String] = []
        for (key, descending) in listing.order {
            switch key {
            case .column(let index):
                order.append(sortKey(sqls[index], type: listing.columns[index].expr.type, descending: descending))
            case .expression(let output):
                order.append(sortKey(try row(output.expr), type: output.expr.type, descending: descending))
            }
        }
        // A table has no row order in SQL: custq's is the file's, which the table's key
        // stands in for (the same when the file is sorted by its key).
        if let key = runner.identifyingColumns.first {
            order.append(sortKey(dialect.quote(table.columns[key].name), type: ValueType(table.columns[key].type), descending: false))
        } else if !listing.order.isEmpty || listing.limit != nil {
            throw SQLRefusal("rows keep the file's order, which SQL does not know, and \(table.name) has no key column to stand in for it")
        }
        return select(columns, where: try filter.map { (f) throws(SQLRefusal) in [try row(f)] } ?? [], order: order,
                      limit: listing.limit)
    }

    private func aggregate(_ summary: BoundQuery.Summary, filter: BoundExpr?, firstName: String? = nil) throws(SQLRefusal) -> String {
        var values: [(sql: String, name: String)] = []
        var groupSQL: [String] = []
        for group in summary.groups {
            let value = try rowValue(group.expr)
            var sql = value.sql
            // A computed group is a column of its own, so GROUP BY and ORDER BY name it.
            if !isName(sql) {
                sql = dialect.quote(compute("s:" + value.sql, named: group.name, sql: value.sql, layer: value.layer + 1).name)
            }
            groupSQL.append(sql)
            values.append((sql, values.isEmpty ? firstName ?? group.name : group.name))
        }
        var itemSQL: [String] = []
        for item in summary.items {
            let sql = try perGroup(item.expr, summary.aggregates)
            itemSQL.append(sql)
            values.append((sql, item.name))
        }
        // Ordered by an aggregate that is not listed: the groups are made first, each with
        // its sort values, and sorted outside, so no engine takes a column in the order for
        // a result column of the same name (Spark would).
        var hidden: [String] = []
        for (key, _) in summary.order {
            if case .expression(let output) = key { hidden.append(try perGroup(output.expr, summary.aggregates)) }
        }
        let wrapped = !hidden.isEmpty
        let group = { (g: Int) in wrapped ? "c\(g + 1)" : groupSQL[g] }
        let item = { (i: Int) in wrapped ? "c\(summary.groups.count + i + 1)" : itemSQL[i] }
        var order: [String] = []
        var nextHidden = 0
        for (key, descending) in summary.order {
            switch key {
            case .item(let i): order.append(sortKey(item(i), type: summary.items[i].expr.type, descending: descending))
            case .group(let g): order.append(sortKey(group(g), type: summary.groups[g].expr.type, descending: descending))
            case .expression(let output):
                nextHidden += 1
                order.append(sortKey("o\(nextHidden)", type: output.expr.type, descending: descending))
            }
        }
        // Then by the groups' own order (a definition's listed values first), as custq lists them.
        for (g, grouping) in summary.groups.enumerated() {
            if let levels = summary.levels[g] {
                let cases = levels.enumerated().map { "WHEN \(dialect.literal($0.element)) THEN \($0.offset)" }.joined(separator: " ")
                order.append("CASE \(group(g)) \(cases) ELSE \(levels.count) END")
            }
            order.append(sortKey(group(g), type: grouping.expr.type, descending: false))
        }
        let conditions = try filter.map { (f) throws(SQLRefusal) in [try row(f)] } ?? []
        let groupBy = groupSQL.isEmpty ? "" : "\nGROUP BY " + groupSQL.indices.map { String($0 + 1) }.joined(separator: ", ")
        let tail = (order.isEmpty ? "" : "\nORDER BY " + order.joined(separator: ", "))
            + (summary.limit.map { "\nLIMIT \($0)" } ?? "")
        guard wrapped else {
            let columns = values.map { "\($0.sql) AS \(dialect.quote($0.name))" }
            return select(columns, where: conditions, order: [], limit: nil) + groupBy + tail
        }
        let inner = values.enumerated().map { "\($0.element.sql) AS c\($0.offset + 1)" }
            + hidden.enumerated().map { "\($0.element) AS o\($0.offset + 1)" }
        let outer = values.enumerated().map { "c\($0.offset + 1) AS \(dialect.quote($0.element.name))" }
        let groups = select(inner, where: conditions, order: [], limit: nil) + groupBy
        return "SELECT " + outer.joined(separator: ", ") + "\nFROM (\n" + groups + "\n) AS result" + tail
    }

    /// `histogram EXPR bins N`: equal-width bins from the smallest value to the largest,
    /// every bin listed (empty ones with 0), each value's bin worked out in halves as custq
    /// does (so ±1e308 does not overflow), and the edges by the same formula.
    private func histogram(_ values: BoundQuery.Output, bins: Int, filter: BoundExpr?) throws(SQLRefusal) -> String {
        let value = try row(values.expr)
        let isDate = values.expr.type == .date
        let epoch = dialect.date(0)
        let x = isDate ? dialect.double(dialect.daysBetween(epoch, value)) : dialect.double(value)
        var conditions = ["\(value) IS NOT NULL"]
        if let filter { conditions.insert(try row(filter), at: 0) }
        let series: String
        switch dialect {
        case .duckdb: series = "SELECT range AS i FROM range(0, \(bins))"
        case .postgres: series = "SELECT generate_series(0, \(bins - 1)) AS i"
        case .spark: series = "SELECT id AS i FROM range(0, \(bins))"
        }
        let span = "(stats.high / 2 - stats.low / 2)"
        let share = "CASE WHEN \(span) > 0 THEN (vals.x / 2 - stats.low / 2) / \(span) ELSE 0 END"
        formCTEs = [
            "vals AS (\n  SELECT \(x) AS x\n  FROM \(source)\n  WHERE \(conditions.joined(separator: " AND "))\n)",
            "stats AS (\n  SELECT min(x) AS low, max(x) AS high, CASE WHEN max(x) = min(x) THEN 1 ELSE \(bins) END AS n FROM vals\n)",
            "bins AS (\n  \(series)\n)",
            "counts AS (\n  SELECT CAST(greatest(0, least(stats.n - 1, floor(\(share) * stats.n))) AS BIGINT) AS b, count(*) AS c\n"
                + "  FROM vals CROSS JOIN stats\n  GROUP BY 1\n)",
        ]
        func edge(_ i: String) -> String {
            let f = "(\(dialect.double(i)) / stats.n)"
            let sql = "CASE WHEN \(i) = stats.n THEN stats.high ELSE (1 - \(f)) * stats.low + \(f) * stats.high END"
            return isDate ? dialect.addDays(epoch, "CAST(floor(\(sql)) AS BIGINT)", subtract: false) : sql
        }
        return """
            SELECT \(edge("bins.i")) AS \(dialect.quote("from")),
                   \(edge("bins.i + 1")) AS \(dialect.quote("to")),
                   COALESCE(counts.c, 0) AS \(dialect.quote("count"))
            FROM stats CROSS JOIN bins LEFT JOIN counts ON counts.b = bins.i
            WHERE bins.i < stats.n AND stats.low IS NOT NULL
            ORDER BY bins.i
            """
    }

    func select(_ columns: [String], where conditions: [String], order: [String], limit: Int?) -> String {
        var sql = "SELECT " + columns.joined(separator: ",\n       ")
        sql += "\nFROM " + source
        if !conditions.isEmpty { sql += "\nWHERE " + conditions.joined(separator: " AND ") }
        if !order.isEmpty { sql += "\nORDER BY " + order.joined(separator: ", ") }
        if let limit { sql += "\nLIMIT \(limit)" }
        return sql
    }

    /// An ORDER BY key as custq sorts: nulls last both ways, text by its bytes.
    func sortKey(_ sql: String, type: ValueType, descending: Bool) -> String {
        (type == .string ? sql + dialect.byteOrder : sql) + (descending ? " DESC" : " ASC") + " NULLS LAST"
    }

    // MARK: layers

    /// What the query reads: the table itself, or the last layer built over it.
    var source: String {
        guard layers.isEmpty && joins.isEmpty && cutPoints.isEmpty else { return "layer\(layers.count)" }
        let from = relation(table)
        return from.hasPrefix("(") ? from + " AS " + dialect.quote(table.name) : from
    }

    /// The query with its layers in front, as CTEs.
    func withLayers(_ query: String) -> String {
        guard !(layers.isEmpty && joins.isEmpty && cutPoints.isEmpty) else {
            return formCTEs.isEmpty ? query : "WITH " + formCTEs.joined(separator: ",\n") + "\n" + query
        }
        var ctes: [String] = []
        let base = (["t.*"] + joinColumns.map { "\($0.sql) AS \(dialect.quote($0.name))" }).joined(separator: ", ")
        ctes.append("layer0 AS (\n  SELECT \(base)\n  FROM \(relation(table)) AS t" +
                    joins.map { "\n  " + $0 }.joined() + "\n)")
        for (index, columns) in layers.enumerated() {
            for cut in cutPoints where cut.layer == index {
                ctes.append("\(cut.name) AS (\n  \(cut.sql)\n  FROM layer\(index)\n)")
            }
            let crossJoins = cutPoints.filter { $0.layer == index }.map { " CROSS JOIN \($0.name)" }.joined()
            let list = (["layer\(index).*"] + columns.map { "\($0.sql) AS \(dialect.quote($0.name))" })
                .joined(separator: ",\n         ")
            ctes.append("layer\(index + 1) AS (\n  SELECT \(list)\n  FROM layer\(index)\(crossJoins)\n)")
        }
        return "WITH " + (ctes + formCTEs).joined(separator: ",\n") + "\n" + query
    }

    /// A table as SQL reads it: by its name, or, for the customers custq made from the
    /// orders (no customers file loaded), the orders' distinct customer keys.
    func relation(_ table: Table) -> String {
        guard table.source.hasPrefix(Engine.derivedSource) else { return dialect.quote(table.name) }
        let origin = table.source.dropFirst(Engine.derivedSource.count)
        guard let dot = origin.firstIndex(of: "."), let key = table.columns.first else { return dialect.quote(table.name) }
        let orders = dialect.quote(String(origin[..<dot])), column = dialect.quote(String(origin[origin.index(after: dot)...]))
        return "(SELECT DISTINCT \(column) AS \(dialect.quote(key.name)) FROM \(orders) WHERE \(column) IS NOT NULL)"
    }

    /// Whether the SQL is one quoted name (a column, or a value a layer computed).
    func isName(_ sql: String) -> Bool {
        sql.count >= 2 && sql == dialect.quote(String(sql.dropFirst().dropLast()))
    }

    /// A fresh column name for a computed value: the definition's name when it is free.
    private func freshName(_ wanted: String) -> String {
        var name = wanted, suffix = 2
        while usedNames.contains(name.lowercased()) {
            name = "\(wanted)_\(suffix)"
            suffix += 1
        }
        usedNames.insert(name.lowercased())
        return name
    }

    /// Puts a value computed from the layer below `layer` into that layer; its column's name.
    private func compute(_ fingerprint: String, named wanted: String, sql: String, layer: Int) -> (name: String, layer: Int) {
        if let known = named[fingerprint] { return known }
        while layers.count < layer { layers.append([]) }
        let name = freshName(wanted)
        layers[layer - 1].append((name, sql))
        named[fingerprint] = (name, layer)
        return (name, layer)
    }

    // MARK: values per row

    /// The SQL of a per-row expression in the scope of the last layer.
    func row(_ expr: BoundExpr) throws(SQLRefusal) -> String { try rowValue(expr).sql }

    /// A per-row expression: its SQL and the layer from which its names can be read.
    func rowValue(_ expr: BoundExpr) throws(SQLRefusal) -> (sql: String, layer: Int) {
        var expressions = SQLExpressions(writer: self, scope: .row)
        let sql = try expressions.write(expr)
        return (sql, expressions.layer)
    }

    /// A per-group expression: aggregates written in place.
    func perGroup(_ expr: BoundExpr, _ aggregates: [AggregateCall]) throws(SQLRefusal) -> String {
        var expressions = SQLExpressions(writer: self, scope: .group(aggregates))
        return try expressions.write(expr)
    }

    /// A definition used more than once, per row: a column of its own layer.
    /// (Keyed by its SQL: each aggregate of a statement binds the definitions it reads anew,
    /// and the same SQL is the same value.)
    func shared(_ shared: SharedExpr, sql: String, layer: Int) -> (name: String, layer: Int) {
        compute("s:" + sql, named: shared.name ?? "value", sql: sql, layer: layer + 1)
    }

    /// A value over every row of the table (a window): a column of the layer after its argument's.
    func window(named wanted: String, sql: String, argumentLayer: Int) -> (name: String, layer: Int) {
        compute("w:" + sql, named: wanted, sql: sql, layer: argumentLayer + 1)
    }

    /// qcut's cut points: an aggregate row over the layer of its argument, cross joined into
    /// the next layer; the names of its columns.
    /// (The same cut points, as an rfm table's two uses of one score, are worked out once.)
    func cutPoints(fractions: [Double], of values: String, layer: Int) -> [String] {
        let columns = fractions.enumerated().map { "\(dialect.percentile($0.element, of: values)) AS cut\($0.offset + 1)" }
        let sql = "SELECT " + columns.joined(separator: ", ")
        let name = cutPoints.first { $0.sql == sql && $0.layer == layer }?.name ?? "cuts\(cutPoints.count + 1)"
        if !cutPoints.contains(where: { $0.name == name }) {
            while layers.count < layer + 1 { layers.append([]) }
            cutPoints.append((name, sql, layer))
        }
        return fractions.indices.map { "\(name).cut\($0 + 1)" }
    }

    /// A roll-up joined to the base: the other table grouped by its key, one column per roll-up.
    func rollup(_ rollup: Rollup, value: String) throws(SQLRefusal) -> String {
        let other = runner.context.table(named: rollup.table)
        let alias = "r\(joins.count + 1)"
        var conditions: [String] = []
        if let cutoff = rollup.cutoff {
            let date = dialect.quote(other.columns[cutoff.dateColumn].name)
            conditions.append("(\(date) IS NULL OR \(date) <= \(dialect.date(cutoff.day)))")
        }
        let keyThere = dialect.quote(other.columns[rollup.keyThere].name)
        var sub = "SELECT \(keyThere) AS k, \(value) AS v FROM \(relation(other)) AS src"
        if !conditions.isEmpty { sub += " WHERE " + conditions.joined(separator: " AND ") }
        sub += " GROUP BY \(keyThere)"
        let fingerprint = "r:" + sub + " ON " + table.columns[rollup.keyHere].name
        if let known = named[fingerprint] { return dialect.quote(known.name) }
        joins.append("LEFT JOIN (\(sub)) AS \(alias) ON \(alias).k = t.\(dialect.quote(table.columns[rollup.keyHere].name))")
        let name = freshName(Self.rollupName(rollup, other) ?? alias)
        let counts = [AggregateCall.Kind.count, .countIf, .distinct].contains(rollup.call.kind)
        joinColumns.append((name, counts ? "COALESCE(\(alias).v, 0)" : "\(alias).v"))
        named[fingerprint] = (name, 0)
        return dialect.quote(name)
    }

    /// What a roll-up's column is called: the aggregate and what it reads (max_order_date,
    /// count_orders), when that is a plain column.
    static func rollupName(_ rollup: Rollup, _ other: Table) -> String? {
        let verb: String
        switch rollup.call.kind {
        case .count: verb = "count"
        case .sum: verb = "sum"
        case .avg: verb = "avg"
        case .min: verb = "min"
        case .max: verb = "max"
        case .distinct: verb = "distinct"
        default: return nil
        }
        guard let argument = rollup.call.argument else { return rollup.call.kind == .count ? "count_\(other.name)" : nil }
        guard case .column(let index, _) = argument.unshared else { return nil }
        return "\(verb)_\(other.columns[index].name)"
    }

    /// A lookup joined to the base: the related row's column.
    func lookup(_ lookup: Lookup) throws(SQLRefusal) -> String {
        let fingerprint = BoundExpr.lookup(lookup).fingerprint
        if let known = named[fingerprint] { return dialect.quote(known.name) }
        let other = runner.context.table(named: lookup.table)
        // custq reads the first related row; a join would repeat the row for each.
        let key = other.columns[lookup.keyThere]
        guard runner.relations?.isUnique(key) ?? RelationCache.computeUnique(key) else {
            throw SQLRefusal("\(other.name).\(key.name) repeats, and custq reads the first of its rows, which SQL has no order to find")
        }
        let alias = "l\(joins.count + 1)"
        joins.append("LEFT JOIN \(relation(other)) AS \(alias) ON \(alias).\(dialect.quote(other.columns[lookup.keyThere].name))"
                     + " = t.\(dialect.quote(table.columns[lookup.keyHere].name))")
        let name = freshName(other.columns[lookup.column].name)
        joinColumns.append((name, "\(alias).\(dialect.quote(other.columns[lookup.column].name))"))
        named[fingerprint] = (name, 0)
        return dialect.quote(name)
    }
}

/// Why a query cannot be written as SQL, for the user.
struct SQLRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
