import CustqDiagnostics
import CustqLanguage
import CustqResult
import CustqStore

/// Runs one query on one table: filter, then the query's form.
struct QueryRunner {
    let table: Table
    let definitions: [String: Definition]
    var source: String
    /// The statement's words: where a failure that belongs to no one part of it is shown.
    let range: SourceRange
    /// The loaded tables, how they relate, the as-of date and interruption.
    var context = StatementContext()
    var shouldStop: (@Sendable () -> Bool)? { context.shouldStop }
    var today: Int32 { context.today }
    var keyColumn: String { context.keyColumn }
    var relations: RelationCache? { context.relations }
    /// The other loaded tables, for roll-ups such as sum(orders.amount).
    var others: [Table] { context.tables(besides: table) }
    /// Whole-table results of this query, shared by all its evaluators.
    let memo = QueryMemo()
    /// Values the query's conversions could not read, said in its notes.
    let conversions = ConversionLog()
    /// Where the as-of date (`today`) comes from, in words, and how many orders it leaves
    /// out: the note under results that depend on it.
    var asOfSource = AsOfSource.today
    var ordersLeftOut = 0
    /// What binding met (today(), the orders table), for the notes.
    let usage = BindingUsage()

    func makeBinder() -> Binder {
        var binder = Binder(table: table, definitions: definitions, source: source)
        binder.aggregateList = usage.nextSharedID()
        binder.context = context
        binder.usage = usage
        return binder
    }

    init(table: Table, definitions: [String: Definition], source: String, range: SourceRange) {
        self.table = table
        self.definitions = definitions
        self.source = source
        self.range = range
    }

    /// An evaluator over `rows` that honours interruption and the as-of date.
    func evaluator(rows: [Int32]?) -> Evaluator {
        var evaluator = Evaluator(table: table, rows: rows, context: context)
        evaluator.memo = memo
        evaluator.conversions = conversions
        return evaluator
    }

    func text(_ range: SourceRange) -> String {
        Binder(table: table, definitions: definitions, source: source).text(range)
    }

    /// What a result column computed from `range` is called: the text as written, names
    /// without their backticks.
    func displayName(_ range: SourceRange) -> String { DisplayText.of(range, in: source) }

    func name(of item: SelectItem) -> String { item.alias ?? displayName(item.expression.range) }

    /// What a result column measures, so it is shown the same way wherever it appears: a
    /// metric by name (`churn_rate` is in %, `clv` in currency), a column the file wrote as
    /// money, percentages or codes, and the averages, sums and extremes of such a column
    /// (`avg price` of a `¥` column is in `¥`; the sum of codes is just a number).
    func unit(of expression: Expr) -> ColumnUnit {
        switch expression.kind {
        case .name(let name, _):
            if let unit = definitions[name.lowercased()]?.about.unit {
                if unit.hasPrefix("%") || unit.hasPrefix("points") { return .percentPoints }
                if unit.hasPrefix("currency") { return .currency }
                return .none
            }
            return table.column(named: name)?.unit ?? .none
        case .unary(.negate, let operand):
            let inner = unit(of: operand)
            return inner == .code ? .none : inner
        case .call(let function, let arguments, false) where arguments.count == 1:
            let inner = unit(of: arguments[0])
            switch function.lowercased() {
            case "min", "max":
                return inner
            case "avg", "mean", "sum", "median", "stddev", "p25", "p75", "p90", "p95", "p99":
                return inner == .code ? .none : inner
            default:
                return .none
            }
        default:
            return .none
        }
    }

    func run(_ query: Query) throws(EngineError) -> QueryResult {
        try execute(try bind(query))
    }

    /// Runs a bound query: the filter, then the form's steps, then the notes its binding
    /// and evaluation call for; a segment table's result gets its own (SegmentTable.Finish).
    func execute(_ plan: BoundQuery) throws(EngineError) -> QueryResult {
        guard let segments = plan.segments else { return try steps(plan) }
        var result: QueryResult
        do {
            result = try steps(plan)
        } catch {
            throw segments.moved(error)
        }
        segments.apply(to: &result)
        return result
    }

    private func steps(_ plan: BoundQuery) throws(EngineError) -> QueryResult {
        var rows: [Int32]?
        if let filter = plan.filter {
            let evaluator = evaluator(rows: nil)
            rows = try evaluating(filter.range) { () throws(EvaluationError) in try evaluator.select(filter.condition) }
        }
        let matched = rows?.count ?? table.rowCount
        var result: QueryResult
        switch plan.form {
        case .top(let ranking):
            result = try top(ranking, rows: rows)
        case .show(let listing):
            result = try show(listing, rows: rows)
        case .aggregate(let summary):
            result = try Aggregation(runner: self).run(summary, rows: rows)
        case .describe(let targets):
            result = try Describe(runner: self).run(targets, rows: rows)
        case .histogram(let values, let bins):
            result = try Histogram(runner: self).run(values, bins: bins, rows: rows)
        case .cohort(let cohorting):
            result = try Cohort(runner: self).run(cohorting, rows: rows)
        case .periods(let periods):
            result = try PeriodTable(runner: self).run(periods, rows: rows)
        case .concentration(let value):
            result = try Concentration(runner: self).run(value, rows: rows)
        }
        if let title = plan.chartTitle, result.table.columns.count >= 2 { result.chart = .bars(title: title) }
        result.rowsScanned = table.rowCount
        result.rowsMatched = matched
        if plan.form.writesOwnAsOfNote {
            // cohort and the tables by period write their own as-of note (they count the orders they leave out).
        } else if usage.readsToday || usage.readsOrders {
            // Customer figures from orders count the orders up to the as-of date.
            result.notes.append(.asOf(day: today, source: asOfSource, ordersLeftOut: ordersLeftOut))
        }
        result.notes += valueNotes()
        result.notes += usage.flagRules
        result.notes += conversions.resultNotes
        return result
    }

    /// `count where region = Nort`: a note for each text compared with a column that the
    /// column never holds, with the value it probably meant.
    func valueNotes() -> [ResultNote] {
        usage.valueChecks.compactMap { check in
            guard table.columns.indices.contains(check.column),
                  case .string(let strings) = table.columns[check.column].values else { return nil }
            let column = table.columns[check.column]
            let values = ValueSearch(strings, validity: column.validity)
            guard !values.contains(check.value) else { return nil }
            return .valueNotFound(column: column.name, value: check.value, closest: values.closest(to: check.value))
        }
    }

    // MARK: top / bottom

    /// The identifying columns shown with ranked rows: the table's own key (the first `…_id`
    /// column whose values are all different: customer_id in customers, order_id in orders;
    /// an export's order lines by their order id), else the relating key (by role: 客户编号,
    /// Account ID), and the name (`name` by role: 客户名称, Account Name; else First Name and
    /// Last Name).
    var identifyingColumns: [Int] {
        var result: [Int] = []
        let ids = table.columns.indices.filter { table.columns[$0].name.lowercased().hasSuffix("_id") }
        let unique = ids.first { index in
            relations?.isUnique(table.columns[index]) ?? RelationCache.computeUnique(table.columns[index])
        }
        let orderID = table.answers(to: Engine.ordersTableName) ? table.columnIndex(named: "purchase_id") : nil
        if let key = unique ?? orderID ?? table.columnIndex(named: keyColumn) ?? ids.first { result.append(key) }
        if let name = table.columnIndex(named: "name") {
            result.append(name)
        } else {
            let normalized = table.columns.map { String($0.name.lowercased().filter { $0.isLetter }) }
            if let first = normalized.firstIndex(where: { ["firstname", "givenname", "名"].contains($0) }),
               let last = normalized.firstIndex(where: { ["lastname", "surname", "familyname", "姓"].contains($0) }) {
                result += [first, last]
            }
        }
        return result
    }

    private func top(_ ranking: BoundQuery.Ranking, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let evaluator = self.evaluator(rows: rows)
        let keyValues = try evaluating(ranking.key.range) { () throws(EvaluationError) in try evaluator.evaluate(ranking.key.expr) }
        let ids = identifyingColumns
        let tieBreak = ids.first.map { evaluator.column(table.columns[$0]) }
        let picks = try evaluating(range) { () throws(EvaluationError) in
            try TopK.select(ranking.count, from: keyValues, descending: ranking.descending, tieBreak: tieBreak,
                            shouldStop: shouldStop)
        }
        var columns: [Column] = []
        var names = Set<String>()
        func add(_ vector: Vector, _ name: String, unit: ColumnUnit = .none) {
            guard !names.contains(name.lowercased()) else { return }
            names.insert(name.lowercased())
            var column = vector.gather(picks).column(named: name)
            column.unit = unit
            columns.append(column)
        }
        for index in ids { add(evaluator.column(table.columns[index]), table.columns[index].name, unit: table.columns[index].unit) }
        add(keyValues, ranking.key.name, unit: ranking.key.unit)
        for item in ranking.extra {
            add(try evaluating(item.range) { () throws(EvaluationError) in try evaluator.evaluate(item.expr) }, item.name, unit: item.unit)
        }
        var result = QueryResult(table: Table(name: "result", columns: columns, rowCount: picks.count), rowsScanned: 0, rowsMatched: 0)
        let nullKeys = keyValues.nulls?.filter { $0 }.count ?? 0
        if nullKeys > 0 { result.notes.append(.rowsWithoutValue(count: nullKeys, what: ranking.key.name)) }
        return result
    }

    // MARK: show

    private func show(_ listing: BoundQuery.Listing, rows: [Int32]?) throws(EngineError) -> QueryResult {
        let evaluator = self.evaluator(rows: rows)
        // A column of the table itself is taken as it is (when every row is shown in the
        // table's order, `show *` copies nothing); other items are computed.
        var computed: [Vector?] = []
        for column in listing.columns {
            if Self.tableColumn(column) != nil {
                computed.append(nil)
            } else {
                computed.append(try evaluating(column.range) { () throws(EvaluationError) in try evaluator.evaluate(column.expr) })
            }
        }
        func vector(_ index: Int) -> Vector {
            computed[index] ?? evaluator.column(table.columns[Self.tableColumn(listing.columns[index])!])
        }
        var keys: [(Vector, Bool)] = []
        for (key, descending) in listing.order {
            switch key {
            case .column(let index):
                keys.append((vector(index), descending))
            case .expression(let output):
                keys.append((try evaluating(output.range) { () throws(EvaluationError) in try evaluator.evaluate(output.expr) },
                             descending))
            }
        }
        let count = evaluator.count
        var picks: [Int]?   // nil: every row, in order
        if !keys.isEmpty {
            picks = try evaluating(range) { () throws(EvaluationError) in
                try Sorting.order(Array(0..<count), by: keys, shouldStop: shouldStop)
            }
        }
        if let limit = listing.limit, limit < count { picks = Array((picks ?? Array(0..<count)).prefix(limit)) }
        let shown = picks?.count ?? count
        let columns = listing.columns.indices.map { index -> Column in
            let output = listing.columns[index]
            var column: Column
            if let own = Self.tableColumn(output), rows == nil, picks == nil {
                column = table.columns[own]
                column.name = output.name
            } else {
                let values = vector(index)
                column = (picks.map { values.gather($0) } ?? values).column(named: output.name)
            }
            column.unit = output.unit
            return column
        }
        return QueryResult(table: Table(name: "result", columns: columns, rowCount: shown), rowsScanned: 0, rowsMatched: 0)
    }

    /// The table's own column an output is, if it is one.
    static func tableColumn(_ output: BoundQuery.Output) -> Int? {
        if case .column(let index, _) = output.expr.unshared { return index }
        return nil
    }
}
