import CustqLanguage
import CustqStore

/// Binding an aggregate list: its groups, items and order, into a BoundQuery.Summary.
extension Aggregation {
    /// Binds the groups, the items (each an aggregate or made of them) and the order.
    func bind(items: [SelectItem], groups: [Expr], order: [OrderKey], limit: Int?) throws(EngineError) -> BoundQuery.Summary {
        var binder = runner.makeBinder()
        var boundGroups: [BoundQuery.Output] = []
        for group in groups { boundGroups.append(try runner.output(group, named: runner.displayName(group.range), &binder)) }
        let boundItems = try bindItems(items, &binder)
        let orderKeys = try bindOrder(order, items: items, groups: groups, &binder)
        return BoundQuery.Summary(groups: boundGroups, levels: groups.map(levels), aggregates: binder.aggregates,
                                  items: boundItems, order: orderKeys, limit: limit)
    }

    /// The listed items, each an aggregate or made of them (a constant too).
    private func bindItems(_ items: [SelectItem], _ binder: inout Binder) throws(EngineError) -> [BoundQuery.Output] {
        let table = runner.table
        var boundItems: [BoundQuery.Output] = []
        for item in items {
            let range = item.expression.range
            let bound = try binding { () throws(LanguageError) in try binder.bind(item.expression, allowAggregates: true) }
            guard bound.usesAggregates || Binder.constantValue(bound) != nil else {
                if case .rollup = bound.unshared {
                    throw .statement(EngineErrors.rollupNeedsAggregate(runner.text(range), table: table.name, at: range))
                }
                throw .statement(EngineErrors.needsAggregate(runner.text(range), at: range))
            }
            if let column = bound.columnOutsideAggregates {
                throw .statement(EngineErrors.columnOutsideAggregate(table.columns[column].name, at: range))
            }
            if bound.readsRowsOutsideAggregates {
                throw .statement(EngineErrors.rollupNeedsAggregate(runner.text(range), table: table.name, at: range))
            }
            boundItems.append(BoundQuery.Output(expr: bound, name: runner.name(of: item), unit: runner.unit(of: item.expression),
                                                range: range))
        }
        return boundItems
    }

    /// Order keys: an item (by name or text), a group (by text), or another aggregate.
    private func bindOrder(_ order: [OrderKey], items: [SelectItem], groups: [Expr], _ binder: inout Binder)
        throws(EngineError) -> [(key: BoundQuery.GroupSortKey, descending: Bool)] {
        let itemNames = items.map { runner.name(of: $0).lowercased() }
        let itemTexts = items.map { runner.displayName($0.expression.range).lowercased() }
        let groupTexts = groups.map { runner.displayName($0.range).lowercased() }
        var orderSources: [(key: BoundQuery.GroupSortKey, descending: Bool)] = []
        for key in order {
            let written = runner.displayName(key.expression.range).lowercased()
            if let i = itemNames.firstIndex(of: written) ?? itemTexts.firstIndex(of: written) {
                orderSources.append((.item(i), key.descending))
            } else if let g = groupTexts.firstIndex(of: written) {
                orderSources.append((.group(g), key.descending))
            } else {
                let bound = try binding { () throws(LanguageError) in try binder.bind(key.expression, allowAggregates: true) }
                guard bound.usesAggregates, !bound.readsRowsOutsideAggregates else {
                    throw .statement(EngineErrors.notInGroups(runner.text(key.expression.range), at: key.expression.range))
                }
                orderSources.append((.expression(BoundQuery.Output(expr: bound, name: written, unit: .none,
                                                                   range: key.expression.range)), key.descending))
            }
        }
        return orderSources
    }

    /// The values a group written as a definition's name takes, in order, when the
    /// definition lists them (`levels '…'`).
    func levels(of group: Expr) -> [String]? {
        guard case .name(let name, _) = group.kind else { return nil }
        return runner.definitions[name.lowercased()]?.about.levels
    }
}
