import CustqLanguage
import CustqStore

/// Other tables: what a form reads that is not loaded (prefer's choice), lookups of a
/// related row and roll-ups of related rows.
extension Binder {
    /// What an expression reads that is not loaded: `responses.csat` (a table, or its column),
    /// `annual_revenue` (a column of no loaded table and no definition). Empty when all is there.
    func missingData(_ expr: Expr) -> [String] {
        var missing: [String] = []
        func add(_ name: String) { if !missing.contains(name) { missing.append(name) } }
        /// Another table read through the key: the key must be in both.
        func related(_ other: Table, as tableName: String) {
            let keys = keyColumns(to: other)
            if table.columnIndex(named: keys.here) == nil { add(keys.here) }
            if other.columnIndex(named: keys.there) == nil { add("\(tableName).\(keys.there)") }
        }
        /// How many aggregates enclose the walk: an aggregate of an aggregate rolls up
        /// another table, so it cannot read the queried one (`sum(count(responses.csat))` is
        /// a form for customers, not for `from responses`).
        var aggregateDepth = 0
        func walk(_ expr: Expr) {
            switch expr.kind {
            case .qualified(let tableName, let column):
                if table.answers(to: tableName) {
                    if aggregateDepth >= 2 { add("\(tableName).") }
                    if table.columnIndex(named: column) == nil, definitions[column.lowercased()] == nil { add(column) }
                } else if let other = others.first(where: { $0.answers(to: tableName) }) {
                    // A definition of the name is computed on that table's rows (an order
                    // amount from its payments).
                    if other.columnIndex(named: column) == nil, !isUserDefinition(column) { add("\(tableName).\(column)") }
                    related(other, as: tableName)
                } else {
                    add("\(tableName).")   // the table is what is missing
                }
            case .call(let name, let arguments, _) where name.lowercased() == "prefer" && arguments.count == 2:
                // The form a nested prefer picks: its first when that is loaded.
                let before = missing
                walk(arguments[0])
                guard missing != before else { return }
                missing = before
                walk(arguments[1])
            case .call(let name, _, _) where FunctionRegistry.named(name.lowercased())?.kind == .aggregate:
                aggregateDepth += 1
                for child in expr.children { walk(child) }
                aggregateDepth -= 1
            case .name(let name, _):
                let lowered = name.lowercased()
                if Self.tableRoles.contains(lowered) {
                    if table.answers(to: lowered) {
                        if aggregateDepth >= 2 { add(lowered + ".") }
                    } else if let other = others.first(where: { $0.answers(to: lowered) }) {
                        related(other, as: lowered)
                    } else {
                        add(lowered + ".")
                    }
                    return
                }
                // A canonical column (csat, nps_score) is missing when the table lacks it, even
                // where a metric of the same name exists.
                let known = table.columnIndex(named: name) != nil
                    || (definitions[lowered].map { !$0.isBuiltIn || !CustomerColumns.canonicalNames.contains(lowered) } == true
                        && !expanding.contains(lowered))
                if !known { add(name) }
            default:
                for child in expr.children { walk(child) }
            }
        }
        walk(expr)
        return missing
    }

    /// Whether `name` is a definition of the user's, not the library's (a library metric
    /// named like a canonical column does not stand in for the column).
    func isUserDefinition(_ name: String) -> Bool {
        definitions[name.lowercased()].map { !$0.isBuiltIn } ?? false
    }

    /// The tables the metric library reads by name.
    static let tableRoles: Set<String> = ["orders", "responses", "customers"]

    // MARK: Lookups and roll-ups

    /// Rows loaded here and rows on a database never meet in one query: each side would
    /// see the other as empty.
    func sameHome(_ other: Table, at range: SourceRange) throws(LanguageError) {
        let home = table.rowsElsewhere.map(ObjectIdentifier.init), otherHome = other.rowsElsewhere.map(ObjectIdentifier.init)
        guard home != otherHome else { return }
        let (loaded, remote) = table.rowsElsewhere == nil ? (table, other) : (other, table)
        let place = remote.rowsElsewhere.map { "on \($0.location)" } ?? "on another database"
        throw LanguageError("\(loaded.name) is loaded here and \(remote.name) is \(place): one query cannot read both", range,
                            help: ".load \(remote.name) copies it in, so both are here")
    }

    /// `customers.region` in a query on responses: the value of the related row with the
    /// same key (many rows here to one there). Outside an aggregate only.
    func lookup(_ tableName: String, _ columnName: String, at range: SourceRange) throws(LanguageError) -> BoundExpr {
        guard let other = others.first(where: { $0.answers(to: tableName) }) else {
            throw EngineErrors.unknownTable(tableName, at: range, known: others.map(\.name) + [table.name])
        }
        guard let column = other.columnIndex(named: columnName) else {
            throw EngineErrors.unknownName(columnName, at: range, candidates: other.columnNames, table: other.name)
        }
        try sameHome(other, at: range)
        let keys = keyColumns(to: other)
        guard let here = table.columnIndex(named: keys.here), let there = other.columnIndex(named: keys.there) else {
            throw EngineErrors.noKey(other: other.name, table: table.name, key: keys.there, at: range)
        }
        let unique = context.relations?.isUnique(other.columns[there]) ?? RelationCache.computeUnique(other.columns[there])
        guard unique else {
            throw EngineErrors.manyRelated(other.name, column: columnName, key: keys.there, at: range)
        }
        return .lookup(Lookup(table: other.name, keyHere: here, keyThere: there, column: column,
                              type: ValueType(other.columns[column].type)))
    }

    /// The other table an aggregate's argument reads (`orders.amount`, or `orders` alone for
    /// count), if it reads one.
    func rollupTable(of argument: Expr) -> Table? {
        func tables(_ expr: Expr, _ given: [String: Argument]) -> [String] {
            switch expr.kind {
            case .qualified(let name, _): return [name]
            // A function's parameter reads what the caller gave for it, in the caller's terms.
            case .name(let name, _) where given[name.lowercased()] != nil:
                let argument = given[name.lowercased()]!
                return tables(argument.expr, argument.arguments)
            case .name(let name, _) where table.columnIndex(named: name) == nil && definitions[name.lowercased()] == nil:
                return others.contains { $0.answers(to: name) } ? [name] : []
            case .unary(_, let e), .isNull(let e, _): return tables(e, given)
            case .binary(_, let l, let r): return tables(l, given) + tables(r, given)
            case .inList(let e, let values, _): return tables(e, given) + values.flatMap { tables($0, given) }
            case .between(let a, let b, let c, _): return tables(a, given) + tables(b, given) + tables(c, given)
            // A nested aggregate is a roll-up (or an error) of its own.
            case .call(let name, let arguments, _):
                return Grammar.aggregateWords.contains(name) ? [] : arguments.flatMap { tables($0, given) }
            default: return []
            }
        }
        guard let name = tables(argument, arguments).first(where: { !table.answers(to: $0) }) else { return nil }
        return others.first { $0.answers(to: name) }
    }

    /// `sum(orders.amount)` in a query on customers: the aggregate of each customer's orders,
    /// matched on the key column; `count(orders)` counts them.
    mutating func rollup(_ name: String, _ argument: Expr, over other: Table, range: SourceRange) throws(LanguageError) -> BoundExpr {
        try sameHome(other, at: range)
        let keys = keyColumns(to: other)
        guard let here = table.columnIndex(named: keys.here), let there = other.columnIndex(named: keys.there) else {
            throw EngineErrors.noKey(other: other.name, table: table.name, key: keys.there, at: range)
        }
        // Inside the roll-up, names are the other table's columns (`orders.amount` or `amount`)
        // and the user's definitions, which win over columns as everywhere (`define amount =
        // Quantity * UnitPrice` is the amount monetary and every roll-up sums).
        let theirs = definitions.filter { !$0.value.isBuiltIn }
        var inner = Binder(table: other, definitions: theirs, source: source)
        // A definition on the other table may roll up a third (an order's amount from payments).
        inner.context = context.with(table)
        inner.arguments = arguments
        let call: AggregateCall
        if case .name(let bare, _) = argument.kind, other.answers(to: bare) {
            guard name == "count" else {
                throw LanguageError("\(name) needs a column of \(other.name), e.g. \(name)(\(other.name).amount)", argument.range)
            }
            call = AggregateCall(kind: .count, argument: nil, type: .integer)
        } else {
            var aggregateBinder = inner
            let bound = try aggregateBinder.bind(Expr(.call(name: name, arguments: [argument], star: false), range),
                                                 allowAggregates: true)
            guard case .aggregate = bound, let single = aggregateBinder.aggregates.first else {
                throw LanguageError("a roll-up is one aggregate over \(other.name), e.g. sum(\(other.name).amount)", range)
            }
            call = single
            inner = aggregateBinder
        }
        var cutoff: (dateColumn: Int, day: Int32)?
        if other.answers(to: Engine.ordersTableName) {
            usage.readsOrders = true
            if let day = context.ordersCutoff, let date = other.columnIndex(named: Engine.orderDateColumn),
               other.columns[date].type == .date {
                cutoff = (date, day)
            }
        }
        return .rollup(Rollup(table: other.name, keyHere: here, keyThere: there, call: call, cutoff: cutoff))
    }
}
