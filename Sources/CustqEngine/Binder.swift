import CustqLanguage
import CustqStore

/// The definitions a binder is inside, as a stack with a set for lookups.
final class ExpansionPath {
    private(set) var names: [String] = []
    private var members: [String: Int] = [:]

    var count: Int { names.count }

    func contains(_ name: String) -> Bool { members[name, default: 0] > 0 }

    func push(_ name: String) {
        names.append(name)
        members[name, default: 0] += 1
    }

    func pop() {
        guard let name = names.popLast() else { return }
        members[name, default: 1] -= 1
    }
}

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
    private var expanding = ExpansionPath()
    private var insideAggregate = false
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
            if FunctionRegistry.named(name)?.kind == .aggregate {
                return try aggregate(name, arguments, star: star, range: expr.range, allowAggregates: allowAggregates)
            }
            return try function(name, arguments, range: expr.range, allowAggregates: allowAggregates)
        }
    }

    /// A column, or a definition expanded in place; nil when the name is unknown.
    private mutating func resolve(_ name: String, at range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr? {
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
            throw EngineErrors.cycle(expanding.names + [definition.name.lowercased()], at: range)
        }
        return nil
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
            throw LanguageError("definitions use one another more than \(Self.maxDefinitionDepth) deep", range,
                                help: "a chain this long is likely a mistake in a generated script")
        }
        expanding.push(key)
        defer { expanding.pop() }
        var inner = child(source: definition.source)
        inner.expanding = expanding
        inner.aggregates = aggregates
        inner.aggregateList = aggregateList
        inner.insideAggregate = insideAggregate
        // What this definition notes is recorded with it: binding it notes afresh.
        let outer = usage.notes
        usage.notes = BindingUsage.Notes()
        defer { usage.add(outer) }
        let bound: BoundExpr
        do {
            bound = try inner.bind(definition.expression, allowAggregates: allowAggregates)
        } catch {
            if error.message.hasPrefix("definitions refer to each other") || error.message.hasPrefix("definitions use one another") {
                throw LanguageError(error.message, range, help: error.help)
            }
            throw EngineErrors.inDefinition(definition.name, error, at: range)
        }
        aggregates = inner.aggregates
        // A column or a constant is used as it is; anything else is shared by every use.
        let result: BoundExpr
        switch bound {
        case .column, .constant, .aggregate, .shared: result = bound
        default: result = .shared(SharedExpr(id: usage.nextSharedID(), expr: bound))
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

    // MARK: Comparisons

    /// A bare word that names nothing is text when compared with text: `tier = A`.
    private mutating func operand(_ expr: Expr, allowAggregates: Bool) throws(LanguageError) -> BoundExpr? {
        if case .name(let name, quoted: false) = expr.kind,
           try resolve(name, at: expr.range, allowAggregates: allowAggregates) == nil {
            return nil
        }
        return try bind(expr, allowAggregates: allowAggregates)
    }

    private mutating func comparison(_ op: BinaryOperator, _ left: Expr, _ right: Expr, allowAggregates: Bool,
                                     range: SourceRange) throws(LanguageError) -> BoundExpr {
        let l = try operand(left, allowAggregates: allowAggregates)
        let r = try operand(right, allowAggregates: allowAggregates)
        let equality = op == .equal || op == .notEqual
        guard var l2 = (equality ? digits(left, comparedWith: r) : nil) ?? l ?? bareWord(left, comparedWith: r),
              var r2 = (equality ? digits(right, comparedWith: l) : nil) ?? r ?? bareWord(right, comparedWith: l) else {
            let unknown = l == nil ? left : right
            _ = try bind(unknown, allowAggregates: allowAggregates)   // throws "unknown column"
            throw EngineErrors.unknownName(text(unknown.range), at: unknown.range, candidates: candidateNames, table: table.name)
        }
        // `"Financial Status" = paid` (SQL's quotes for a name): two fixed values, never a
        // column, so the condition would hold for every row or none without saying why.
        if case .constant = l2.unshared, case .constant = r2.unshared {
            for side in [left, right] {
                guard case .string(let written) = side.kind, let index = table.columnIndex(named: written) else { continue }
                throw LanguageError("'\(written)' in quotes is a text value, not the column, so this compares two fixed values",
                                    side.range, help: "to name the column, write `\(table.columns[index].name)` in backticks")
            }
        }
        try unify(&l2, left, &r2, right)
        if op == .equal || op == .notEqual {
            checkValue(l2, r2)
            checkValue(r2, l2)
        }
        return .compare(op, l2, r2)
    }

    /// Remembers `column = 'text'` so the result can say when the column never holds the text.
    private func checkValue(_ column: BoundExpr, _ value: BoundExpr) {
        guard case .column(let index, .string) = column.unshared, case .constant(.string(let text)) = value.unshared else { return }
        let check = ValueCheck(column: index, value: text)
        if !usage.valueChecks.contains(check) { usage.valueChecks.append(check) }
    }

    /// A whole number written in a statement and compared with text is its digits as
    /// written: ids too long for 64 bits load as text (`where id = 99999999999999999998`),
    /// and codes keep their zeros (`where zip = 01151`).
    private func digits(_ expr: Expr, comparedWith other: BoundExpr?) -> BoundExpr? {
        guard case .number(_, let isInteger) = expr.kind, other?.type == .string else { return nil }
        let written = text(expr.range)
        guard isInteger || written.allSatisfy(\.isNumber) else { return nil }
        return .constant(.string(written))
    }

    private func bareWord(_ expr: Expr, comparedWith other: BoundExpr?) -> BoundExpr? {
        guard case .name(let word, _) = expr.kind, other?.type == .string else { return nil }
        return .constant(.string(word))
    }

    /// Makes two operands comparable: numbers meet as decimals, text dates become dates,
    /// dates meet timestamps as timestamps.
    private func unify(_ l: inout BoundExpr, _ left: Expr, _ r: inout BoundExpr, _ right: Expr) throws(LanguageError) {
        let lt = l.type, rt = r.type
        if lt == rt || lt == .null || rt == .null { return }
        if lt.isNumeric, rt.isNumeric {
            if lt == .integer { l = .toDecimal(l) } else { r = .toDecimal(r) }
            return
        }
        if lt == .date, rt == .string, let day = Self.dateConstant(r) { r = day; return }
        if lt == .string, rt == .date, let day = Self.dateConstant(l) { l = day; return }
        if lt == .date, rt == .timestamp { l = .function("timestamp", [l], .timestamp); return }
        if lt == .timestamp, rt == .date { r = .function("timestamp", [r], .timestamp); return }
        throw EngineErrors.cannotCompare((lt, describe(left, l)), (rt, describe(right, r)), at: left.range.union(right.range))
    }

    private func describe(_ expr: Expr, _ bound: BoundExpr) -> String {
        if case .constant(.string(let s)) = bound.unshared { return "'\(s)'" }
        return text(expr.range)
    }

    static func dateConstant(_ expr: BoundExpr) -> BoundExpr? {
        guard case .constant(.string(let text)) = expr.unshared, let day = CivilDate.dayNumber(isoText: text) else { return nil }
        return .constant(.date(Int32(day)))
    }

    private mutating func inList(_ operand: Expr, _ values: [Expr], negated: Bool, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        let bound = try bind(operand, allowAggregates: allowAggregates)
        var constants: [Scalar] = []
        for value in values {
            var item: BoundExpr
            if let written = digits(value, comparedWith: bound) {
                item = written
            } else if let resolved = try self.operand(value, allowAggregates: false) {
                item = resolved
            } else if let word = bareWord(value, comparedWith: bound) {
                item = word
            } else {
                _ = try bind(value, allowAggregates: false)
                throw EngineErrors.unknownName(text(value.range), at: value.range, candidates: candidateNames, table: table.name)
            }
            var left = bound
            try unify(&left, operand, &item, value)
            guard let scalar = Self.constantValue(item) else {
                throw LanguageError("the values after 'in' must be constants", value.range)
            }
            constants.append(Self.convert(scalar, to: bound.type))
            checkValue(bound, .constant(scalar))
        }
        return .inList(bound, constants, negated: negated)
    }

    static func constantValue(_ expr: BoundExpr) -> Scalar? {
        switch expr.unshared {
        case .constant(let scalar): scalar
        case .toDecimal(.constant(.integer(let v))): .decimal(Double(v))
        case .negate(.constant(.integer(let v)), _): .integer(-v)
        case .negate(.constant(.decimal(let v)), _): .decimal(-v)
        default: nil
        }
    }

    static func convert(_ scalar: Scalar, to type: ValueType) -> Scalar {
        switch (scalar, type) {
        case (.integer(let v), .decimal): .decimal(Double(v))
        case (.date(let d), .timestamp): .timestamp(Int64(d) * 86_400_000_000)
        default: scalar
        }
    }

    // MARK: Arithmetic

    private mutating func arithmetic(_ op: BinaryOperator, _ left: Expr, _ right: Expr, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        var l = try bind(left, allowAggregates: allowAggregates)
        var r = try bind(right, allowAggregates: allowAggregates)
        let lt = l.type == .null ? (r.type == .null ? ValueType.integer : r.type) : l.type
        let rt = r.type == .null ? lt : r.type
        switch (lt, rt) {
        case (.date, .date) where op == .subtract:
            return .arithmetic(op, l, r, .integer)
        case (.date, .integer) where op == .add || op == .subtract:
            return .arithmetic(op, l, r, .date)
        case (.integer, .date) where op == .add:
            return .arithmetic(op, r, l, .date)
        default:
            break
        }
        for (type, expr) in [(lt, left), (rt, right)] where !type.isNumeric {
            let help = type == .date ? "subtract dates to get days (a - b), or use days_between(a, b)" : nil
            throw EngineErrors.needs("'\(op.rawValue)' needs numbers", found: type, text: text(expr.range),
                                     at: expr.range, help: help)
        }
        if lt == .integer, rt == .integer, op != .divide { return .arithmetic(op, l, r, .integer) }
        if l.type == .integer { l = .toDecimal(l) }
        if r.type == .integer { r = .toDecimal(r) }
        return .arithmetic(op, l, r, .decimal)
    }

    // MARK: Functions and aggregates

    private mutating func function(_ name: String, _ arguments: [Expr], range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        guard let signature = FunctionRegistry.named(name), signature.kind != .aggregate else {
            throw EngineErrors.unknownFunction(name, at: range)
        }
        guard signature.arity.contains(arguments.count) else {
            throw EngineErrors.arity(name, expected: signature.arity, found: arguments.count, at: range)
        }
        if name == "total" {
            // total(x): x summed over every row of the table, whatever the filter or group.
            let argument = try bind(arguments[0], allowAggregates: false)
            guard argument.type.isNumeric || argument.type == .null else {
                throw EngineErrors.needs("total needs numbers", found: argument.type, text: text(arguments[0].range),
                                         at: arguments[0].range)
            }
            return .total(argument.type == .integer ? .toDecimal(argument) : argument)
        }
        if name == "abc" {
            // abc(x): the Pareto class of each row's x among all rows (DESIGN.md section 5).
            let argument = try bind(arguments[0], allowAggregates: false)
            guard argument.type.isNumeric || argument.type == .null else {
                throw EngineErrors.needs("abc needs numbers", found: argument.type, text: text(arguments[0].range),
                                         at: arguments[0].range)
            }
            // abc(x, a, b): the A and B limits as % of the total (80 and 95 unless given).
            var limits: [Double] = []
            for limit in arguments.dropFirst() {
                let bound = try bind(limit, allowAggregates: false)
                guard let value = Self.constantValue(bound), let number = value.doubleValue, number > 0, number <= 100 else {
                    throw LanguageError("abc's limits are percentages from 0 to 100, e.g. abc(monetary, 80, 95)", limit.range)
                }
                limits.append(number)
            }
            if limits.count == 1 {
                throw LanguageError("abc needs both limits, A and B, e.g. abc(monetary, 80, 95)", range)
            }
            let a = limits.first ?? 80, b = limits.last ?? 95
            if a > b {
                func percent(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
                throw LanguageError("abc's A limit (\(percent(a))%) is above its B limit (\(percent(b))%)", range,
                                    help: "e.g. abc(monetary, 70, 90): A up to 70% of the total, B up to 90%")
            }
            return .abc(argument.type == .integer ? .toDecimal(argument) : argument, tieBreak: table.columnIndex(named: keyColumn),
                        a: a / 100, b: b / 100)
        }
        if name == "qcut" || name == "ntile" {
            // ntile(k, x): SQL's NTILE(k) over all rows with a value, ordered by x then the key;
            // qcut(k, x): scores by value cut points, ties share a score.
            guard case .number(let k, true) = arguments[0].kind, k >= 1, k <= 1000 else {
                throw LanguageError("\(name) needs a whole number of groups from 1 to 1000 first", arguments[0].range,
                                    help: "e.g. \(name)(5, monetary)")
            }
            let argument = try bind(arguments[1], allowAggregates: false)
            guard argument.type.isNumeric || argument.type == .date || argument.type == .null else {
                throw EngineErrors.needs("\(name) needs numbers or dates", found: argument.type, text: text(arguments[1].range),
                                         at: arguments[1].range)
            }
            let values: BoundExpr = argument.type == .integer || argument.type == .date ? .toDecimal(argument) : argument
            return name == "qcut" ? .qcut(Int(k), values) : .ntile(Int(k), values, tieBreak: table.columnIndex(named: keyColumn))
        }
        if name == "prefer" {
            // The first form when the tables and columns it reads are loaded, else the second:
            // decided from what is loaded before either is bound (metrics read the orders when
            // there are orders, else the customers' own columns).
            if missingData(arguments[0]).isEmpty { return try bind(arguments[0], allowAggregates: allowAggregates) }
            do {
                return try bind(arguments[1], allowAggregates: allowAggregates)
            } catch let second {
                // Neither form runs. When each lacks data, say what would let one run.
                let needs = arguments.flatMap(Engine.forms).map(missingData)
                if needs.allSatisfy({ !$0.isEmpty }), let metric = expanding.names.last {
                    throw EngineErrors.metricNeeds(metric, alternatives: needs, table: table.name, at: range)
                }
                // The first form lacks data, and the second a metric it reads lacks its own
                // (churn_rate: a churned column, or the orders lifecycle reads): say both.
                if let first = needs.first, !first.isEmpty, needs.count == 2, second.message.contains(" needs "),
                   let metric = expanding.names.last, !second.message.hasPrefix(metric + " ") {
                    let own = EngineErrors.metricNeeds(metric, alternatives: [first], table: table.name, at: range)
                    var theirs = second.message
                    if let split = second.message.firstRange(of: " needs ") {
                        theirs = "what \(second.message[..<split.lowerBound]) needs: " + second.message[split.upperBound...]
                    }
                    throw LanguageError(own.message + ", or " + theirs, second.range, help: own.help, notes: second.notes)
                }
                throw second
            }
        }
        var bound: [BoundExpr] = []
        for argument in arguments { bound.append(try bind(argument, allowAggregates: allowAggregates)) }
        func require(_ index: Int, _ allowed: [ValueType], _ what: String) throws(LanguageError) {
            let type = bound[index].type
            if type != .null, !allowed.contains(type) {
                throw EngineErrors.needs("\(name) needs \(what)", found: type, text: text(arguments[index].range),
                                         at: arguments[index].range)
            }
        }
        switch name {
        case "abs", "round", "floor", "ceil":
            try require(0, [.integer, .decimal], "a number")
            if arguments.count == 2 { try require(1, [.integer], "a whole number of digits") }
            let type: ValueType = name == "abs" ? (bound[0].type == .integer ? .integer : .decimal)
                : (name == "round" && arguments.count == 2 ? .decimal : (bound[0].type == .integer ? .integer : .decimal))
            return .function(name, bound, type)
        case "sqrt", "ln", "exp":
            try require(0, [.integer, .decimal], "a number")
            return .function(name, [bound[0].type == .integer ? .toDecimal(bound[0]) : bound[0]], .decimal)
        case "year", "month":
            try require(0, [.date, .timestamp], "a date")
            return .function(name, bound, .integer)
        case "days_between":
            try require(0, [.date, .timestamp], "a date")
            try require(1, [.date, .timestamp], "a date")
            return .function(name, bound, .integer)
        case "today":
            usage.readsToday = true
            return .function(name, [], .date)
        case "lower", "upper", "trim":
            try require(0, [.string], "text")
            return .function(name, bound, .string)
        case "date", "timestamp":
            try require(0, [.string, .date, .timestamp], "text or a date")
            if arguments.count == 2 {
                guard case .constant(.string(let text)) = bound[1].unshared else {
                    throw LanguageError("\(name)'s format is text in quotes, e.g. \(name)(\(self.text(arguments[0].range)), '%d/%m/%Y')",
                                        arguments[1].range)
                }
                do {
                    _ = try DateFormat(text)
                } catch {
                    throw LanguageError(error.message, arguments[1].range,
                                        help: "formats use %Y %m %d %H %M %S %p %z %b, e.g. '%m/%d/%Y %H:%M'")
                }
                try require(0, [.string], "text when it gives a format")
            }
            return .function(name, bound, name == "date" ? .date : .timestamp)
        case "number":
            try require(0, [.string, .integer, .decimal], "text or a number")
            return .function(name, bound, .decimal)
        case "integer":
            try require(0, [.string, .integer, .decimal, .boolean], "text or a number")
            return .function(name, bound, .integer)
        case "text", "concat", "||":
            return .function(name, bound, .string)
        case "like", "ilike", "contains", "starts_with", "ends_with":
            try require(0, [.string], "text")
            try require(1, [.string], name.hasSuffix("like") ? "a pattern in quotes, e.g. 'A%'" : "text")
            return .function(name, bound, .boolean)
        case "substr":
            try require(0, [.string], "text")
            try require(1, [.integer], "a whole number (the first character is 1)")
            if arguments.count == 3 { try require(2, [.integer], "a whole number of characters") }
            return .function(name, bound, .string)
        case "replace":
            for index in 0..<3 { try require(index, [.string], "text") }
            return .function(name, bound, .string)
        case "month_of":
            try require(0, [.date, .timestamp], "a date")
            return .function(name, bound, .date)
        case "length":
            try require(0, [.string], "text")
            return .function(name, bound, .integer)
        case "if":
            guard bound[0].type == .boolean || bound[0].type == .null else {
                throw EngineErrors.needs("if needs a condition first", found: bound[0].type, text: text(arguments[0].range), at: arguments[0].range)
            }
            return try commonType(name, Array(bound[1...]), Array(arguments[1...]), prefix: [bound[0]])
        default:  // coalesce
            return try commonType(name, bound, arguments, prefix: [])
        }
    }

    /// Arguments that must share one type (if's branches, coalesce's values).
    private func commonType(_ name: String, _ values: [BoundExpr], _ exprs: [Expr], prefix: [BoundExpr]) throws(LanguageError) -> BoundExpr {
        let types = Set(values.map(\.type)).subtracting([.null])
        var converted = values
        var type = types.first ?? .null
        if types == [.integer, .decimal] {
            type = .decimal
            converted = values.map { $0.type == .integer ? .toDecimal($0) : $0 }
        } else if types.count > 1 {
            let pair = zip(values, exprs).filter { $0.0.type != .null }
            throw LanguageError("\(name) needs values of one type, but \(text(pair[0].1.range)) is \(pair[0].0.type.rawValue) and \(text(pair[1].1.range)) is \(pair[1].0.type.rawValue)",
                                pair[0].1.range.union(pair[1].1.range))
        }
        return .function(name, prefix + converted, type)
    }

    private mutating func aggregate(_ name: String, _ arguments: [Expr], star: Bool, range: SourceRange,
                                    allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        if arguments.count == 1, let other = rollupTable(of: arguments[0]) {
            return try rollup(name, arguments[0], over: other, range: range)
        }
        guard allowAggregates else { throw EngineErrors.aggregateNotAllowed(name, at: range) }
        guard !insideAggregate else { throw EngineErrors.nestedAggregate(name, at: range) }
        if name == "count", arguments.isEmpty {
            return add(at: range, AggregateCall(kind: .count, argument: nil, type: .integer))
        }
        guard arguments.count == 1, !star else {
            throw LanguageError("\(name) takes one argument, found \(arguments.count)", range,
                                help: "\(name): \(FunctionRegistry.named(name)?.help ?? "")")
        }
        insideAggregate = true
        defer { insideAggregate = false }
        let argument = try bind(arguments[0], allowAggregates: true)
        let type = argument.type
        let argumentText = text(arguments[0].range)
        func numeric() throws(LanguageError) -> BoundExpr {
            guard type.isNumeric || type == .null else {
                throw EngineErrors.needs("\(name) needs numbers", found: type, text: argumentText, at: arguments[0].range)
            }
            return type == .integer ? .toDecimal(argument) : argument
        }
        switch name {
        case "count":
            return add(at: range, AggregateCall(kind: type == .boolean ? .countIf : .count, argument: argument, type: .integer))
        case "share":
            guard type == .boolean else {
                throw EngineErrors.needs("share needs a condition (true or false)", found: type, text: argumentText,
                                         at: arguments[0].range, help: "e.g. share(churned) or share(nps_score >= 9)")
            }
            return add(at: range, AggregateCall(kind: .share, argument: argument, type: .decimal))
        case "sum":
            guard type.isNumeric || type == .null else {
                throw EngineErrors.needs("sum needs numbers", found: type, text: argumentText, at: arguments[0].range)
            }
            return add(at: range, AggregateCall(kind: .sum, argument: argument, type: type == .integer ? .integer : .decimal))
        case "avg", "mean":
            return add(at: range, AggregateCall(kind: .avg, argument: try numeric(), type: .decimal))
        case "stddev":
            return add(at: range, AggregateCall(kind: .stddev, argument: try numeric(), type: .decimal))
        case "median":
            return add(at: range, AggregateCall(kind: .median, argument: try numeric(), type: .decimal))
        case "p25", "p75", "p90", "p95", "p99":
            let fraction = Double(name.dropFirst())! / 100
            return add(at: range, AggregateCall(kind: .quantile(fraction), argument: try numeric(), type: .decimal))
        case "min", "max":
            guard type != .boolean else {
                throw EngineErrors.needs("\(name) needs values that can be ordered", found: type, text: argumentText, at: arguments[0].range)
            }
            return add(at: range, AggregateCall(kind: name == "min" ? .min : .max, argument: argument, type: type == .null ? .integer : type))
        default:  // distinct
            return add(at: range, AggregateCall(kind: .distinct, argument: argument, type: .integer))
        }
    }

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
    private func isUserDefinition(_ name: String) -> Bool {
        definitions[name.lowercased()].map { !$0.isBuiltIn } ?? false
    }

    /// The tables the metric library reads by name.
    static let tableRoles: Set<String> = ["orders", "responses", "customers"]

    // MARK: Lookups and roll-ups

    /// `customers.region` in a query on responses: the value of the related row with the
    /// same key (many rows here to one there). Outside an aggregate only.
    private func lookup(_ tableName: String, _ columnName: String, at range: SourceRange) throws(LanguageError) -> BoundExpr {
        guard let other = others.first(where: { $0.answers(to: tableName) }) else {
            throw EngineErrors.unknownTable(tableName, at: range, known: others.map(\.name) + [table.name])
        }
        guard let column = other.columnIndex(named: columnName) else {
            throw EngineErrors.unknownName(columnName, at: range, candidates: other.columnNames, table: other.name)
        }
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
    private func rollupTable(of argument: Expr) -> Table? {
        func tables(_ expr: Expr) -> [String] {
            switch expr.kind {
            case .qualified(let name, _): return [name]
            case .name(let name, _) where table.columnIndex(named: name) == nil && definitions[name.lowercased()] == nil:
                return others.contains { $0.answers(to: name) } ? [name] : []
            case .unary(_, let e), .isNull(let e, _): return tables(e)
            case .binary(_, let l, let r): return tables(l) + tables(r)
            case .inList(let e, let values, _): return tables(e) + values.flatMap(tables)
            case .between(let a, let b, let c, _): return tables(a) + tables(b) + tables(c)
            // A nested aggregate is a roll-up (or an error) of its own.
            case .call(let name, let arguments, _): return Grammar.aggregateWords.contains(name) ? [] : arguments.flatMap(tables)
            default: return []
            }
        }
        guard let name = tables(argument).first(where: { !table.answers(to: $0) }) else { return nil }
        return others.first { $0.answers(to: name) }
    }

    /// `sum(orders.amount)` in a query on customers: the aggregate of each customer's orders,
    /// matched on the key column; `count(orders)` counts them.
    private mutating func rollup(_ name: String, _ argument: Expr, over other: Table, range: SourceRange) throws(LanguageError) -> BoundExpr {
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

    private mutating func add(at range: SourceRange? = nil, _ call: AggregateCall) -> BoundExpr {
        var call = call
        // Where the statement wrote it (a definition's aggregate is the statement's as a whole).
        if expanding.count == 0 { call.range = range }
        aggregates.append(call)
        return .aggregate(aggregates.count - 1, call.type)
    }
}

/// Two tables related through columns of their own (`.link orders.order_id = payments.order_id`).
public struct PairLink: Sendable, Equatable {
    public let tables: (String, String)
    public let columns: (String, String)

    public init(_ tableA: String, _ columnA: String, _ tableB: String, _ columnB: String) {
        tables = (tableA, tableB)
        columns = (columnA, columnB)
    }

    public static func == (a: PairLink, b: PairLink) -> Bool {
        a.tables == b.tables && a.columns == b.columns
    }
}
