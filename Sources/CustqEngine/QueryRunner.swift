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
        switch query.form {
        case .rfm, .abc: return try SegmentTable(runner: self).run(query)
        default: break
        }
        var binder = makeBinder()
        var rows: [Int32]?
        if let filter = query.filter {
            let condition = try binding { () throws(LanguageError) in try binder.bind(filter, allowAggregates: false) }
            guard condition.type == .boolean || condition.type == .null else {
                throw .statement(EngineErrors.needs("where needs a condition (true or false)", found: condition.type,
                                                    text: text(filter.range), at: filter.range,
                                                    help: "compare it with something, e.g. where \(text(filter.range)) > 0"))
            }
            let evaluator = evaluator(rows: nil)
            rows = try evaluating(filter.range) { () throws(EvaluationError) in try evaluator.select(condition) }
        }
        let matched = rows?.count ?? table.rowCount
        var result: QueryResult
        switch query.form {
        case .top(let count, let key, let descending):
            result = try top(count: count, key: key, descending: descending, extra: query.extraColumns, rows: rows)
        case .show(let items, let all):
            result = try show(items: items, all: all, order: query.order, limit: query.limit, rows: rows)
        case .aggregate(let items):
            result = try Aggregation(runner: self).run(items: items, groups: query.groups, order: query.order,
                                                       limit: query.limit, rows: rows)
        case .describe(let columns):
            result = try Describe(runner: self).run(columns: columns, rows: rows)
        case .histogram(let expr):
            result = try Histogram(runner: self).run(expr, bins: query.bins ?? 10, rows: rows)
        case .chart(let item):
            result = try Aggregation(runner: self).run(items: [item], groups: query.groups, order: query.order,
                                                       limit: query.limit, rows: rows)
            if result.table.columns.count >= 2 { result.chart = .bars(title: name(of: item)) }
        case .cohort(let period):
            result = try Cohort(runner: self).run(period, rows: rows)
        case .rfm, .abc:
            preconditionFailure("segment tables are aggregate lists")
        }
        result.rowsScanned = table.rowCount
        result.rowsMatched = matched
        if case .cohort = query.form {
            // cohort writes its own as-of note (it counts the orders it leaves out).
        } else if usage.readsToday || usage.readsOrders {
            // Customer figures from orders count the orders up to the as-of date.
            result.notes.append(.asOf(day: today, source: asOfSource, ordersLeftOut: ordersLeftOut))
        }
        result.notes += valueNotes()
        result.notes += usage.flagRules.map(ResultNote.remark)
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

    private func top(count: Int, key: Expr, descending: Bool, extra: [SelectItem],
                     rows: [Int32]?) throws(EngineError) -> QueryResult {
        var binder = makeBinder()
        let boundKey = try binding { () throws(LanguageError) in try binder.bind(key, allowAggregates: false) }
        let evaluator = self.evaluator(rows: rows)
        let keyValues = try evaluating(key.range) { () throws(EvaluationError) in try evaluator.evaluate(boundKey) }
        let ids = identifyingColumns
        let tieBreak = ids.first.map { evaluator.column(table.columns[$0]) }
        let picks = try evaluating(range) { () throws(EvaluationError) in
            try TopK.select(count, from: keyValues, descending: descending, tieBreak: tieBreak, shouldStop: shouldStop)
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
        add(keyValues, displayName(key.range), unit: unit(of: key))
        for item in extra {
            let bound = try binding { () throws(LanguageError) in try binder.bind(item.expression, allowAggregates: false) }
            add(try evaluating(item.expression.range) { () throws(EvaluationError) in try evaluator.evaluate(bound) },
                name(of: item), unit: unit(of: item.expression))
        }
        var result = QueryResult(table: Table(name: "result", columns: columns, rowCount: picks.count), rowsScanned: 0, rowsMatched: 0)
        let nullKeys = keyValues.nulls?.filter { $0 }.count ?? 0
        if nullKeys > 0 { result.notes.append(.rowsWithoutValue(count: nullKeys, what: displayName(key.range))) }
        return result
    }

    // MARK: show

    private func show(items: [SelectItem], all: Bool, order: [OrderKey], limit: Int?,
                      rows: [Int32]?) throws(EngineError) -> QueryResult {
        var binder = makeBinder()
        let evaluator = self.evaluator(rows: rows)
        // Each listed item: a column of the table itself (taken as it is when every row is
        // shown in the table's order: `show *` copies nothing), or computed values.
        var listed: [(name: String, source: ShowSource, unit: ColumnUnit)] = []
        if all {
            for index in table.columns.indices { listed.append((table.columns[index].name, .column(index), table.columns[index].unit)) }
        }
        for item in items {
            let bound = try binding { () throws(LanguageError) in try binder.bind(item.expression, allowAggregates: false) }
            if case .column(let index, _) = bound.unshared {
                let named = unit(of: item.expression)
                listed.append((name(of: item), .column(index), named == .none ? table.columns[index].unit : named))
            } else {
                let values = try evaluating(item.expression.range) { () throws(EvaluationError) in try evaluator.evaluate(bound) }
                listed.append((name(of: item), .values(values), unit(of: item.expression)))
            }
        }
        func vector(_ source: ShowSource) -> Vector {
            switch source {
            case .column(let index): evaluator.column(table.columns[index])
            case .values(let values): values
            }
        }
        var keys: [(Vector, Bool)] = []
        for key in order {
            // An order key may name a listed item (`… as monthly order by monthly`).
            let written = displayName(key.expression.range).lowercased()
            if let item = listed.first(where: { $0.name.lowercased() == written }) {
                keys.append((vector(item.source), key.descending))
                continue
            }
            let bound = try binding { () throws(LanguageError) in try binder.bind(key.expression, allowAggregates: false) }
            keys.append((try evaluating(key.expression.range) { () throws(EvaluationError) in try evaluator.evaluate(bound) },
                         key.descending))
        }
        let count = evaluator.count
        var picks: [Int]?   // nil: every row, in order
        if !keys.isEmpty {
            picks = try evaluating(range) { () throws(EvaluationError) in
                try Sorting.order(Array(0..<count), by: keys, shouldStop: shouldStop)
            }
        }
        if let limit, limit < count { picks = Array((picks ?? Array(0..<count)).prefix(limit)) }
        let shown = picks?.count ?? count
        let columns = listed.map { item -> Column in
            var column: Column
            if case .column(let index) = item.source, rows == nil, picks == nil {
                column = table.columns[index]
                column.name = item.name
            } else {
                let values = vector(item.source)
                column = (picks.map { values.gather($0) } ?? values).column(named: item.name)
            }
            column.unit = item.unit
            return column
        }
        return QueryResult(table: Table(name: "result", columns: columns, rowCount: shown), rowsScanned: 0, rowsMatched: 0)
    }

    /// Where a column of `show` comes from.
    private enum ShowSource {
        case column(Int)
        case values(Vector)
    }
}
