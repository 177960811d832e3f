import CustqLanguage
import CustqStore

/// Resolves names and checks types: turns an `Expr` into a `BoundExpr` for one table.
struct Binder {
    let table: Table
    let definitions: [String: Definition]
    /// The statement text, for naming operands in messages.
    let source: String
    /// Aggregates met while binding, in order; `BoundExpr.aggregate(i)` refers to them.
    private(set) var aggregates: [AggregateCall] = []
    /// The definitions being expanded, outermost first (shared with the binders of the
    /// definitions inside: a cycle shows as a name met again).
    var expanding = ExpansionPath()
    var insideAggregate = false
    /// The name being defined, if any: never offered as a suggestion for itself.
    private var defining: String?
    /// Which list of aggregates `aggregates` is (a binder's own, shared with the binders of
    /// the definitions it expands): a definition bound with aggregates is shared within it.
    var aggregateList = 0
    /// The loaded tables, how they relate, the as-of date: shared by the whole statement.
    var context = StatementContext()
    /// Other loaded tables: an aggregate over one of them is a roll-up per row of this
    /// table, related through the key column (`customer_id`).
    var others: [Table] { context.tables(besides: table) }
    var keyColumn: String { context.keyColumn }

    /// The columns that relate this table to `other`: a pair's own, else the key column.
    func keyColumns(to other: Table) -> (here: String, there: String) {
        context.keyColumns(from: table, to: other)
    }
    /// What the statement reads that its notes should mention (shared by inner binders).
    var usage = BindingUsage()
    /// While a function's expression is bound, what each of its parameters stands for.
    var arguments: [String: Argument] = [:]

    /// A value given to a function (`product_score` in `top2box(product_score)`): bound
    /// where the function's expression reads the parameter, as the caller wrote it.
    struct Argument {
        let expr: Expr
        /// The caller's text, the values the caller's own parameters stand for, and the
        /// definitions the caller was inside (the value may use the same function again).
        let source: String
        let arguments: [String: Argument]
        let expanding: ExpansionPath
    }

    /// `defining`: the name whose definition is being bound; inside it, the name means
    /// the column (so `define annual_revenue = annual_revenue * 1.1` adjusts a column).
    init(table: Table, definitions: [String: Definition], source: String, defining: String? = nil) {
        self.table = table
        self.definitions = definitions
        self.source = source
        if let defining { expanding.push(defining.lowercased()) }
        self.defining = defining?.lowercased()
    }

    func text(_ range: SourceRange) -> String {
        let bytes = Array(source.utf8)
        guard range.start >= 0, range.end <= bytes.count, range.start <= range.end else { return "" }
        return String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }

    /// Names an unknown name may be a typo of: the table's columns, then definitions (once
    /// each, and never the name being defined).
    var candidateNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        for name in table.columnNames + definitions.values.map(\.name).sorted()
            where name.lowercased() != defining && seen.insert(name.lowercased()).inserted {
            names.append(name)
        }
        return names
    }

    // MARK: Binding

    /// Binds an expression. `allowAggregates` is true in aggregate lists.
    mutating func bind(_ expr: Expr, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        switch expr.kind {
        case .number(let value, let isInteger):
            return .constant(isInteger ? .integer(Int64(value)) : .decimal(value))
        case .string(let text):
            return .constant(.string(text))
        case .date(let day):
            return .constant(.date(Int32(day)))
        case .boolean(let value):
            return .constant(.boolean(value))
        case .null:
            return .constant(.null)
        case .name(let name, _):
            if let bound = try resolve(name, at: expr.range, allowAggregates: allowAggregates) {
                if YesNoRoles.names.contains(name.lowercased()), bound.type != .boolean, bound.type != .null {
                    return try YesNoRoles.read(bound, named: name, table: table, usage: usage, at: expr.range)
                }
                return bound
            }
            throw EngineErrors.unknownName(name, at: expr.range, candidates: candidateNames, table: table.name)
        case .qualified(let tableName, let column):
            guard table.answers(to: tableName) else {
                return try lookup(tableName, column, at: expr.range)
            }
            if let bound = try resolve(column, at: expr.range, allowAggregates: allowAggregates) { return bound }
            throw EngineErrors.unknownName(column, at: expr.range, candidates: candidateNames, table: table.name)
        case .unary(.negate, let operand):
            let bound = try bind(operand, allowAggregates: allowAggregates)
            guard bound.type.isNumeric || bound.type == .null else {
                throw EngineErrors.needs("'-' needs a number", found: bound.type, text: text(operand.range), at: operand.range)
            }
            return .negate(bound, bound.type == .null ? .integer : bound.type)
        case .unary(.not, let operand):
            return .not(try condition(operand, allowAggregates: allowAggregates, what: "not"))
        case .binary(let op, let left, let right) where op == .and || op == .or:
            return .logical(op, try condition(left, allowAggregates: allowAggregates, what: op.rawValue),
                            try condition(right, allowAggregates: allowAggregates, what: op.rawValue))
        case .binary(let op, let left, let right) where op.isComparison:
            return try comparison(op, left, right, allowAggregates: allowAggregates, range: expr.range)
        case .binary(let op, let left, let right):
            return try arithmetic(op, left, right, allowAggregates: allowAggregates)
        case .inList(let operand, let values, let negated):
            return try inList(operand, values, negated: negated, allowAggregates: allowAggregates)
        case .between(let operand, let low, let high, let negated):
            let range = expr.range
            let lower = try comparison(.greaterOrEqual, operand, low, allowAggregates: allowAggregates, range: range)
            let upper = try comparison(.lessOrEqual, operand, high, allowAggregates: allowAggregates, range: range)
            let both = BoundExpr.logical(.and, lower, upper)
            return negated ? .not(both) : both
        case .isNull(let operand, let negated):
            return .isNull(try bind(operand, allowAggregates: allowAggregates), negated: negated)
        case .call(let name, let arguments, let star):
            if let definition = definitions[name.lowercased()], !definition.parameters.isEmpty {
                return try call(definition, arguments, at: expr.range, allowAggregates: allowAggregates)
            }
            if FunctionRegistry.named(name)?.kind == .aggregate {
                return try aggregate(name, arguments, star: star, range: expr.range, allowAggregates: allowAggregates)
            }
            return try function(name, arguments, range: expr.range, allowAggregates: allowAggregates)
        }
    }

    /// A column, or a definition expanded in place; nil when the name is unknown.
    mutating func resolve(_ name: String, at range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr? {
        if let argument = arguments[name.lowercased()] {
            return try bindArgument(argument, allowAggregates: allowAggregates)
        }
        if let function = definitions[name.lowercased()], !function.parameters.isEmpty {
            throw LanguageError("\(function.name) is a function of \(function.parameters.joined(separator: ", ")): give it the value\(function.parameters.count == 1 ? "" : "s") to use",
                                range, help: "write \(function.signature) with \(function.parameters.count == 1 ? "the value" : "the values") in place of "
                                    + (function.parameters.count == 1 ? function.parameters[0] : "them"))
        }
        // Definitions win over columns so `define annual_revenue = yearly_spend` maps a column,
        // except that a measure named like a column (csat) means the column where a measure
        // cannot stand: in a per-row expression or inside an aggregate (`bottom 5 by csat`, `avg csat`).
        if let definition = definitions[name.lowercased()], !expanding.contains(definition.name.lowercased()),
           !(table.columnIndex(named: name) != nil && (!allowAggregates || insideAggregate) && isMeasure(definition)) {
            if !allowAggregates || insideAggregate, isMeasure(definition) {
                // `top 5 by nps`, `count where nps > 0`: a measure has no value per row.
                throw EngineErrors.measureNeedsGroup(definition.name, at: range, inAggregate: insideAggregate,
                                                     columns: columnsRead(by: definition))
            }
            return try expand(definition, at: range, allowAggregates: allowAggregates)
        }
        if let index = table.columnIndex(named: name) {
            return .column(index, ValueType(table.columns[index].type))
        }
        if let definition = definitions[name.lowercased()] {
            let cycle = EngineErrors.cycle(expanding.names + [definition.name.lowercased()], at: range)
            usage.definitionsProblem = cycle
            throw cycle
        }
        return nil
    }

    /// A use of a function: its expression bound here, each parameter standing for the
    /// value given in its place (bound, as the caller wrote it, where the expression reads it).
    /// Each use is bound anew, since its values differ.
    private mutating func call(_ function: Definition, _ given: [Expr], at range: SourceRange,
                               allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        let key = function.name.lowercased()
        let callerPath = expanding.copy()
        guard given.count == function.parameters.count else {
            let wanted = function.parameters.count
            throw LanguageError("\(function.name) takes \(wanted) value\(wanted == 1 ? "" : "s") (\(function.parameters.joined(separator: ", "))), found \(given.count)",
                                range, help: "write \(function.signature)")
        }
        guard !expanding.contains(key) else {
            let cycle = EngineErrors.cycle(expanding.names + [key], at: range)
            usage.definitionsProblem = cycle
            throw cycle
        }
        guard expanding.count < Self.maxDefinitionDepth else {
            throw LanguageError("definitions use one another more than \(Self.maxDefinitionDepth) deep", range)
        }
        expanding.push(key)
        defer { expanding.pop() }
        var inner = inside(source: function.source)
        for (parameter, value) in zip(function.parameters, given) {
            inner.arguments[parameter.lowercased()] = Argument(expr: value, source: source, arguments: arguments, expanding: callerPath)
        }
        let bound = try bindDefinition(function, with: &inner, at: range, allowAggregates: allowAggregates)
        aggregates = inner.aggregates
        return bound
    }

    /// A binder for a definition's expression, where this binder stands: inside the same
    /// definitions and aggregate, adding to the same aggregates.
    private func inside(source: String) -> Binder {
        var inner = child(source: source)
        inner.expanding = expanding
        inner.aggregates = aggregates
        inner.aggregateList = aggregateList
        inner.insideAggregate = insideAggregate
        return inner
    }

    /// A definition's expression bound by `inner`; an error in it is shown at its use.
    private func bindDefinition(_ definition: Definition, with inner: inout Binder, at range: SourceRange,
                                allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        do {
            return try inner.bind(definition.expression, allowAggregates: allowAggregates)
        } catch {
            // A problem of the definitions as a whole is shown at the outermost use, as itself.
            if let problem = usage.definitionsProblem, problem.message == error.message {
                let moved = LanguageError(error.message, range, help: error.help)
                usage.definitionsProblem = moved
                throw moved
            }
            throw EngineErrors.inDefinition(definition.name, error, at: range)
        }
    }

    /// A function's parameter: the value given for it, bound in the caller's words.
    private mutating func bindArgument(_ argument: Argument, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        var inner = inside(source: argument.source)
        inner.arguments = argument.arguments
        inner.expanding = argument.expanding
        let bound = try inner.bind(argument.expr, allowAggregates: allowAggregates)
        aggregates = inner.aggregates
        return bound
    }

    /// A binder for text of another source (a definition) on the same table, seeing the same
    /// tables and sharing what this statement has bound and noted.
    private func child(source: String) -> Binder {
        var inner = Binder(table: table, definitions: definitions, source: source)
        inner.context = context
        inner.usage = usage
        return inner
    }

    /// How deep definitions may use one another (a chain of 10,000 binds; more is a mistake).
    static let maxDefinitionDepth = 10_000

    /// A definition bound in place: once per statement and kind of place, then shared.
    private mutating func expand(_ definition: Definition, at range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        let key = definition.name.lowercased()
        let use = DefinitionUse(name: key, allowAggregates: allowAggregates, insideAggregate: insideAggregate,
                                aggregateList: allowAggregates ? aggregateList : 0)
        if let known = usage.boundDefinitions[use] {
            if case .shared(let shared) = known.expr { shared.uses += 1 }
            usage.add(known.notes)
            return known.expr
        }
        guard expanding.count < Self.maxDefinitionDepth else {
            let tooDeep = LanguageError("definitions use one another more than \(Self.maxDefinitionDepth) deep", range,
                                        help: "a chain this long is likely a mistake in a generated script")
            usage.definitionsProblem = tooDeep
            throw tooDeep
        }
        expanding.push(key)
        defer { expanding.pop() }
        var inner = inside(source: definition.source)
        // What this definition notes is recorded with it: binding it notes afresh.
        let outer = usage.notes
        usage.notes = BindingUsage.Notes()
        defer { usage.add(outer) }
        let bound = try bindDefinition(definition, with: &inner, at: range, allowAggregates: allowAggregates)
        aggregates = inner.aggregates
        // A column or a constant is used as it is; anything else is shared by every use.
        let result: BoundExpr
        switch bound {
        case .column, .constant, .aggregate, .shared: result = bound
        default: result = .shared(SharedExpr(id: usage.nextSharedID(), name: definition.name, expr: bound))
        }
        usage.boundDefinitions[use] = (result, usage.notes)
        return result
    }

    /// Whether a definition aggregates (binding it aside, with no effect on this binder);
    /// remembered for the rest of the statement.
    private func isMeasure(_ definition: Definition) -> Bool {
        let key = definition.name.lowercased()
        if let known = usage.measures[key] { return known }
        // The probe shares the statement's bindings (with an aggregate list of its own), so
        // probing each definition of a chain binds each once; what it meets is not noted.
        var probe = child(source: definition.source)
        probe.expanding.push(key)
        defer { probe.expanding.pop() }
        probe.aggregateList = -2
        let notes = usage.copy()
        let measure = (try? probe.bind(definition.expression, allowAggregates: true))?.usesAggregates ?? false
        usage.keepBindings(restoringNotesFrom: notes)
        usage.measures[key] = measure
        return measure
    }

    /// The columns of this table a definition's formula names, directly or through other
    /// definitions (nps reads nps_score): what to suggest in its place per row.
    private func columnsRead(by definition: Definition) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        func walk(_ expr: Expr) {
            switch expr.kind {
            case .name(let name, _):
                let lowered = name.lowercased()
                guard seen.insert(lowered).inserted else { return }
                if let index = table.columnIndex(named: name) {
                    names.append(table.columns[index].name)
                } else if let inner = definitions[lowered] {
                    walk(inner.expression)
                }
            default:
                expr.children.forEach(walk)
            }
        }
        walk(definition.expression)
        return names
    }

    private mutating func condition(_ expr: Expr, allowAggregates: Bool, what: String) throws(LanguageError) -> BoundExpr {
        let bound = try bind(expr, allowAggregates: allowAggregates)
        guard bound.type == .boolean || bound.type == .null else {
            throw EngineErrors.needs("'\(what)' needs a condition (true or false)", found: bound.type,
                                     text: text(expr.range), at: expr.range,
                                     help: "compare it with something, e.g. \(text(expr.range)) > 0")
        }
        return bound
    }

    /// Adds an aggregate to the statement's list; its value is `.aggregate(index)`.
    mutating func add(at range: SourceRange? = nil, _ call: AggregateCall) -> BoundExpr {
        var call = call
        // Where the statement wrote it (a definition's aggregate is the statement's as a whole).
        if expanding.count == 0 { call.range = range }
        aggregates.append(call)
        return .aggregate(aggregates.count - 1, call.type)
    }
}
