import CustqLanguage
import CustqStore

/// Calls: a built-in function's arguments checked against the registry, whole-table
/// functions, prefer's choice of form, and aggregates.
extension Binder {
    mutating func function(_ name: String, _ arguments: [Expr], range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        guard let signature = FunctionRegistry.named(name), signature.kind != .aggregate else {
            throw EngineErrors.unknownFunction(name, at: range)
        }
        guard signature.arity.contains(arguments.count) else {
            throw EngineErrors.arity(name, expected: signature.arity, found: arguments.count, at: range)
        }
        switch name {
        case "total": return try total(arguments[0])
        case "abc": return try abcClass(arguments, range: range)
        case "qcut", "ntile": return try tiles(name, arguments)
        case "prefer": return try prefer(arguments, range: range, allowAggregates: allowAggregates)
        case "expected_purchases", "predicted_clv": return try modelCall(name, arguments, range: range, allowAggregates: allowAggregates)
        default: return try rowFunction(signature, arguments, allowAggregates: allowAggregates)
        }
    }

    /// expected_purchases(t) and predicted_clv(months [, discount]): the model kernels on the
    /// customer's row of clv_summary and the fitted parameters (the definitions clv fit makes).
    private mutating func modelCall(_ name: String, _ arguments: [Expr], range: SourceRange,
                                    allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        func named(_ word: String) -> Expr { Expr(.name(word, quoted: false), range) }
        func summary(_ column: String) -> Expr { Expr(.qualified(table: Engine.summaryTableName, column: column), range) }
        guard let kind = PurchaseModelKind.allCases.first(where: { definitions[FittedPurchaseModel.parameterNames($0)[0]] != nil }) else {
            throw LanguageError("\(name) needs a fitted model, and none is fitted yet", range,
                                help: "clv fit fits one on the orders; .help clv says more")
        }
        let history = [summary("x"), summary("t_x"), summary("T")]
        let purchases = FittedPurchaseModel.parameterNames(kind).map(named)
        let call: Expr.Kind
        if name == "expected_purchases" {
            if let value = Self.constantValue(try bind(arguments[0], allowAggregates: false))?.doubleValue, !(value >= 0 && value.isFinite) {
                throw LanguageError("expected_purchases looks ahead 0 or more time units, not \(text(arguments[0].range))",
                                    arguments[0].range, help: "e.g. expected_purchases(52): the next 52 weeks when fitted by week")
            }
            call = .call(name: "\(kind.rawValue)_expected_purchases", arguments: [arguments[0]] + history + purchases, star: false)
        } else {
            guard definitions[PredictiveModels.spendParameterNames[0]] != nil else {
                throw LanguageError("predicted_clv needs a spend model, and clv fit fitted none (no repeat purchase with an amount)", range)
            }
            let months = try bind(arguments[0], allowAggregates: false)
            if let value = Self.constantValue(months)?.doubleValue, !(value >= 1 && value <= 1200 && value == value.rounded()) {
                throw LanguageError("predicted_clv counts whole months from 1 to 1,200, not \(text(arguments[0].range))",
                                    arguments[0].range, help: "e.g. predicted_clv(12) for the next year")
            }
            if arguments.count > 1, let value = Self.constantValue(try bind(arguments[1], allowAggregates: false))?.doubleValue,
               !(value >= 0 && value < 1) {
                throw LanguageError("predicted_clv's monthly discount is a fraction from 0 to below 1, not \(text(arguments[1].range))",
                                    arguments[1].range, help: "e.g. predicted_clv(12, 0.01) for 1% a month")
            }
            // Gamma-Gamma's mean spend is v(p)/(q − 1): with q ≤ 1 it is infinite, and every value would be empty.
            if let q = definitions[PredictiveModels.spendParameterNames[1]].flatMap({ Self.numberIn($0.expression) }), q <= 1 {
                throw LanguageError("predicted_clv needs an expected spend, and the fitted Gamma-Gamma has q = "
                                    + "\((q * 10_000).rounded() / 10_000) (≤ 1): its mean spend is infinite", range,
                                    help: "q ≤ 1 says customers' mean spends have too heavy a tail for Gamma-Gamma; "
                                        + "clv, the historical value, needs no model")
            }
            let discount = arguments.count > 1 ? arguments[1] : Expr(.number(0.01, isInteger: false), range)
            call = .call(name: "\(kind.rawValue)_gg_clv",
                         arguments: [arguments[0], discount, named(PredictiveModels.unitDaysName)] + history + [summary("m")]
                            + purchases + PredictiveModels.spendParameterNames.map(named), star: false)
        }
        return try bind(Expr(call, range), allowAggregates: allowAggregates)
    }

    /// The number a fitted parameter's definition holds (clv fit writes each as a literal).
    private static func numberIn(_ expression: Expr) -> Double? {
        switch expression.kind {
        case .number(let value, _): value
        case .unary(.negate, let inner): numberIn(inner).map { -$0 }
        default: nil
        }
    }

    /// total(x): x summed over every row of the table, whatever the filter or group.
    private mutating func total(_ argument: Expr) throws(LanguageError) -> BoundExpr {
        let bound = try bind(argument, allowAggregates: false)
        guard bound.type.isNumeric || bound.type == .null else {
            throw EngineErrors.needs("total needs numbers", found: bound.type, text: text(argument.range), at: argument.range)
        }
        return .total(bound.type == .integer ? .toDecimal(bound) : bound)
    }

    /// abc(x [, a, b]): the Pareto class of each row's x among all rows (DESIGN.md section 5),
    /// A up to a% of the total and B up to b% (80 and 95 unless given).
    private mutating func abcClass(_ arguments: [Expr], range: SourceRange) throws(LanguageError) -> BoundExpr {
        let argument = try bind(arguments[0], allowAggregates: false)
        guard argument.type.isNumeric || argument.type == .null else {
            throw EngineErrors.needs("abc needs numbers", found: argument.type, text: text(arguments[0].range),
                                     at: arguments[0].range)
        }
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

    /// ntile(k, x): SQL's NTILE(k) over all rows with a value, ordered by x then the key;
    /// qcut(k, x): scores by value cut points, ties share a score.
    private mutating func tiles(_ name: String, _ arguments: [Expr]) throws(LanguageError) -> BoundExpr {
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

    /// prefer(a, b): the first form when the tables and columns it reads are loaded, else the
    /// second — decided from what is loaded before either is bound (metrics read the orders
    /// when there are orders, else the customers' own columns).
    private mutating func prefer(_ arguments: [Expr], range: SourceRange, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        if missingData(arguments[0]).isEmpty { return try bind(arguments[0], allowAggregates: allowAggregates) }
        // (formInUse follows the same rule down a chain of prefers.)
        do {
            return try bind(arguments[1], allowAggregates: allowAggregates)
        } catch let second {
            // Neither form runs. When each lacks data, say what would let one run.
            let needs = arguments.flatMap(Engine.forms).map(missingData)
            guard let metric = expanding.names.last else { throw second }
            if needs.allSatisfy({ !$0.isEmpty }) {
                let unmet = EngineErrors.metricNeeds(metric, alternatives: needs, table: table.name, at: range)
                usage.unmetNeeds = (metric, EngineErrors.needed(needs, table: table.name), unmet)
                throw unmet
            }
            // The first form lacks data, and the second a metric it reads lacks its own
            // (churn_rate: a churned column, or the orders lifecycle reads): say both.
            if let first = needs.first, !first.isEmpty, needs.count == 2, let inner = usage.unmetNeeds,
               inner.error.message == second.message, inner.metric != metric {
                let own = EngineErrors.metricNeeds(metric, alternatives: [first], table: table.name, at: range)
                let needed = EngineErrors.needed([first], table: table.name) + ", or what \(inner.metric) needs: " + inner.needed
                let both = LanguageError("\(metric) needs " + needed, second.range, help: own.help, notes: second.notes)
                usage.unmetNeeds = (metric, needed, both)
                throw both
            }
            throw second
        }
    }

    /// The form of `expression` that prefer picks on the loaded data: down `prefer(a, b)`,
    /// `a` when what it reads is loaded, else `b`.
    func formInUse(_ expression: Expr) -> Expr {
        var form = expression
        while case .call(let name, let arguments, _) = form.kind, name.lowercased() == "prefer", arguments.count == 2 {
            form = missingData(arguments[0]).isEmpty ? arguments[0] : arguments[1]
        }
        return form
    }

    /// A function of each row's values, its arguments checked against the registry's
    /// parameters and its type from the registry's result rule.
    private mutating func rowFunction(_ signature: BuiltInFunction, _ arguments: [Expr],
                                      allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        let name = signature.name
        var bound: [BoundExpr] = []
        for argument in arguments { bound.append(try bind(argument, allowAggregates: allowAggregates)) }
        for (index, parameter) in zip(bound.indices, signature.parameters) {
            let type = bound[index].type
            if type != .null, !parameter.types.contains(type) {
                throw EngineErrors.needs("\(name) needs \(parameter.what)", found: type, text: text(arguments[index].range),
                                         at: arguments[index].range)
            }
        }
        if name == "today" { usage.readsToday = true }
        if name == "date" || name == "timestamp", arguments.count == 2 { try checkFormat(name, bound, arguments) }
        switch signature.result {
        case .fixed(let type):
            return .function(name, bound, type)
        case .likeItsNumber:
            return .function(name, bound, bound[0].type == .integer ? .integer : .decimal)
        case .rounded:
            return .function(name, bound, bound.count == 1 && bound[0].type == .integer ? .integer : .decimal)
        case .fractional:
            return .function(name, bound.map { $0.type == .integer ? .toDecimal($0) : $0 }, .decimal)
        case .sharedType where name == "if":
            guard bound[0].type == .boolean || bound[0].type == .null else {
                throw EngineErrors.needs("if needs a condition first", found: bound[0].type, text: text(arguments[0].range),
                                         at: arguments[0].range)
            }
            return try commonType(name, Array(bound[1...]), Array(arguments[1...]), prefix: [bound[0]])
        case .sharedType:
            return try commonType(name, bound, arguments, prefix: [])
        }
    }

    /// date(x, format) and timestamp(x, format): the format is text in quotes that custq can
    /// read, and x is text.
    private func checkFormat(_ name: String, _ bound: [BoundExpr], _ arguments: [Expr]) throws(LanguageError) {
        guard case .constant(.string(let format)) = bound[1].unshared else {
            throw LanguageError("\(name)'s format is text in quotes, e.g. \(name)(\(self.text(arguments[0].range)), '%d/%m/%Y')",
                                arguments[1].range)
        }
        do {
            _ = try DateFormat(format)
        } catch {
            throw LanguageError(error.message, arguments[1].range,
                                help: "formats use %Y %m %d %H %M %S %p %z %b, e.g. '%m/%d/%Y %H:%M'")
        }
        let type = bound[0].type
        if type != .null, type != .string {
            throw EngineErrors.needs("\(name) needs text when it gives a format", found: type, text: text(arguments[0].range),
                                     at: arguments[0].range)
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

    mutating func aggregate(_ name: String, _ arguments: [Expr], star: Bool, range: SourceRange,
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
}
