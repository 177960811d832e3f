import CustqLanguage
import CustqStore

extension QueryRunner {
    /// Binds a whole query before any row is read: the filter, then the form's parts, each
    /// checked for what its place allows (a condition, a value per row, aggregates).
    func bind(_ query: Query) throws(EngineError) -> BoundQuery {
        switch query.form {
        case .rfm, .abc: return try SegmentTable(runner: self).bind(query)
        default: break
        }
        var filter: (condition: BoundExpr, range: SourceRange)?
        if let written = query.filter {
            var binder = makeBinder()
            let condition = try binding { () throws(LanguageError) in try binder.bind(written, allowAggregates: false) }
            guard condition.type == .boolean || condition.type == .null else {
                throw .statement(EngineErrors.needs("where needs a condition (true or false)", found: condition.type,
                                                    text: text(written.range), at: written.range,
                                                    help: "compare it with something, e.g. where \(text(written.range)) > 0"))
            }
            filter = (condition, written.range)
        }
        var plan = BoundQuery(filter: filter, form: .describe([]))
        switch query.form {
        case .top(let count, let key, let descending):
            plan.form = .top(try bindRanking(count: count, key: key, descending: descending, extra: query.extraColumns))
        case .show(let items, let all):
            plan.form = .show(try bindListing(items: items, all: all, order: query.order, limit: query.limit))
        case .aggregate(let items):
            plan.form = .aggregate(try Aggregation(runner: self).bind(items: items, groups: query.groups, order: query.order,
                                                                      limit: query.limit))
        case .chart(let item):
            plan.form = .aggregate(try Aggregation(runner: self).bind(items: [item], groups: query.groups, order: query.order,
                                                                      limit: query.limit))
            plan.chartTitle = name(of: item)
        case .describe(let columns):
            plan.form = .describe(try Describe(runner: self).bind(columns: columns))
        case .histogram(let expr):
            plan.form = .histogram(try Histogram(runner: self).bind(expr, bins: query.bins ?? 10), bins: query.bins ?? 10)
        case .cohort(let period):
            plan.form = .cohort(try Cohort(runner: self).bind(period))
        case .periods(let measure, let period):
            plan.form = .periods(try PeriodTable(runner: self).bind(measure, period))
        case .concentration(let value):
            var binder = makeBinder()
            plan.form = .concentration(try output(value, named: displayName(value.range), &binder))
        case .rfm, .abc:
            preconditionFailure("rfm and abc are bound as the aggregate lists they stand for, above")
        }
        return plan
    }

    /// A value per row, with the name and unit of the column it makes.
    func output(_ expression: Expr, named name: String, _ binder: inout Binder) throws(EngineError) -> BoundQuery.Output {
        let bound = try binding { () throws(LanguageError) in try binder.bind(expression, allowAggregates: false) }
        return BoundQuery.Output(expr: bound, name: name, unit: unit(of: expression), range: expression.range)
    }

    private func bindRanking(count: Int, key: Expr, descending: Bool, extra: [SelectItem]) throws(EngineError) -> BoundQuery.Ranking {
        var binder = makeBinder()
        let boundKey = try output(key, named: displayName(key.range), &binder)
        var columns: [BoundQuery.Output] = []
        for item in extra { columns.append(try output(item.expression, named: name(of: item), &binder)) }
        return BoundQuery.Ranking(count: count, key: boundKey, descending: descending, extra: columns)
    }

    private func bindListing(items: [SelectItem], all: Bool, order: [OrderKey], limit: Int?) throws(EngineError) -> BoundQuery.Listing {
        var binder = makeBinder()
        var columns: [BoundQuery.Output] = []
        if all {
            for (index, column) in table.columns.enumerated() {
                columns.append(BoundQuery.Output(expr: .column(index, ValueType(column.type)), name: column.name,
                                                 unit: column.unit, range: range))
            }
        }
        for item in items {
            let bound = try output(item.expression, named: name(of: item), &binder)
            // A column shown as it is keeps what the file said of it (money, percentages).
            if let index = Self.tableColumn(bound), bound.unit == .none {
                columns.append(BoundQuery.Output(expr: bound.expr, name: bound.name, unit: table.columns[index].unit,
                                                 range: bound.range))
            } else {
                columns.append(bound)
            }
        }
        var keys: [(key: BoundQuery.SortKey, descending: Bool)] = []
        for key in order {
            // An order key may name a listed item (`… as monthly order by monthly`).
            let written = displayName(key.expression.range).lowercased()
            if let index = columns.firstIndex(where: { $0.name.lowercased() == written }) {
                keys.append((.column(index), key.descending))
            } else {
                keys.append((.expression(try output(key.expression, named: written, &binder)), key.descending))
            }
        }
        return BoundQuery.Listing(columns: columns, order: keys, limit: limit)
    }
}
