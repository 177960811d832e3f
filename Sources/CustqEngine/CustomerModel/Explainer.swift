import CustqLanguage
import CustqResult
import CustqStore
import CustqText

extension Engine {
    /// `explain NAME`: what the metric is, what it reads, and its formula worked on the
    /// loaded data.
    public func explanation(of name: String) throws(ExplainRefusal) -> MetricExplanation {
        guard let definition = definitions[name.lowercased()] else {
            if let table = catalog.tables.first(where: { $0.column(named: name) != nil }), let column = table.column(named: name) {
                throw .isAColumn(column: column.name, table: table.name, type: column.type,
                                 inDefaultTable: table.name == defaultTable?.name)
            }
            throw .unknown(name: name, closest: EditDistance.closest(to: name, in: definitions.values.map(\.name)))
        }
        return Explainer(engine: self, definition: definition).explanation
    }
}

/// Builds a metric's explanation: its facts from the definition, its inputs from the
/// formula, and the worked example from small queries on the loaded data.
struct Explainer {
    let engine: Engine
    let definition: Definition

    var explanation: MetricExplanation {
        let about = definition.about
        var explanation = MetricExplanation(name: definition.name)
        explanation.names = [about.label, about.chinese].compactMap { $0 }
        if !definition.isBuiltIn {
            explanation.origin = engine.replacesBuiltIn(definition.name) ? .yoursInPlaceOfBuiltIn : .yours
        }
        explanation.kind = about.kind
        explanation.unit = about.unit
        explanation.about = about.about
        explanation.formula = definition.formula
        explanation.inputs = inputs(of: definition, depth: 1, seen: [definition.name.lowercased()])
        explanation.conventions = about.notes
        if !definition.parameters.isEmpty {
            let use = firstUse()
            explanation.computes = .function(parameters: definition.parameters, use: use)
            explanation.useValue = use.flatMap { firstRow($0) }?.first
            return explanation
        }
        // The example works the formula with the functions it uses written out (nps_of(nps_score)
        // is shown as its counts of nps_score).
        let worker = engine.defaultTable.flatMap(withFunctionsWrittenOut) ?? self
        switch engine.status(of: definition) {
        case .unusable(let reason):
            explanation.computes = .nothing(reason: reason)
            return explanation
        case .measure:
            explanation.computes = .measure
            explanation.example = worker.measureExample()
        case .perRow:
            explanation.example = worker.rowExample()
        }
        if engine.readsAsOfDate(definition) {
            explanation.asOf = engine.asOfNote
            explanation.asOfIsSet = engine.asOf != nil
        }
        return explanation
    }

    /// This explainer on the form in use with each function it calls written out (its
    /// formula, the values given in place of its parameters); nil when it calls none.
    func withFunctionsWrittenOut(on table: Table) -> Explainer? {
        let form = formInUse(on: table)
        var calls = false
        func written(_ e: Expr, _ source: String, _ given: [String: String]) -> String {
            let bytes = Array(source.utf8)
            if case .name(let name, _) = e.kind, let value = given[name.lowercased()] { return value }
            if case .call(let name, let arguments, _) = e.kind, let function = engine.definitions[name.lowercased()],
               !function.parameters.isEmpty, arguments.count == function.parameters.count {
                calls = true
                let values = arguments.map { argument -> String in
                    let text = written(argument, source, given)
                    switch argument.kind {
                    case .name, .qualified, .number, .string, .date, .boolean, .null, .call: return text
                    default: return "(" + text + ")"
                    }
                }
                let inner = Dictionary(zip(function.parameters.map { $0.lowercased() }, values), uniquingKeysWith: { a, _ in a })
                return "(" + written(function.expression, function.source, inner) + ")"
            }
            var text = "", position = e.range.start
            for child in e.children.sorted(by: { $0.range.start < $1.range.start }) where child.range.start >= position {
                text += String(decoding: bytes[position..<child.range.start], as: UTF8.self) + written(child, source, given)
                position = child.range.end
            }
            return text + String(decoding: bytes[position..<max(position, e.range.end)], as: UTF8.self)
        }
        var text = written(form, definition.source, [:])
        guard calls else { return nil }
        if text.hasPrefix("("), text.hasSuffix(")"), (try? Parser.parse("define x = " + text.dropFirst().dropLast())) != nil {
            text = String(text.dropFirst().dropLast())
        }
        let source = "define \(definition.name) = " + text
        guard let parsed = try? Parser.parse(source), parsed.count == 1,
              case .define(_, _, let expression, _, _) = parsed[0].kind else { return nil }
        var written = definition
        written.expression = expression
        written.source = source
        return Explainer(engine: engine, definition: written)
    }

    /// A use of the function in a definition (the library's or yours) with values of its own,
    /// not the definition's parameters: `nps_of(nps_score)` in nps.
    func firstUse() -> String? {
        let name = definition.name.lowercased()
        for other in engine.definitions.values.sorted(by: { $0.name < $1.name }) where other.name.lowercased() != name {
            let parameters = Set(other.parameters.map { $0.lowercased() })
            var found: String?
            func walk(_ e: Expr) {
                guard found == nil else { return }
                if case .call(let called, let arguments, _) = e.kind, called.lowercased() == name,
                   !arguments.contains(where: { Self.names(in: $0).contains { parameters.contains($0.lowercased()) } }) {
                    let bytes = Array(other.source.utf8)
                    found = String(decoding: bytes[e.range.start..<e.range.end], as: UTF8.self)
                    return
                }
                e.children.forEach(walk)
            }
            walk(other.expression)
            if let found { return found }
        }
        return nil
    }

    static func names(in expr: Expr) -> [String] {
        if case .name(let name, _) = expr.kind { return [name] }
        return expr.children.flatMap(names)
    }

    /// The names a definition reads, down to columns.
    func inputs(of definition: Definition, depth: Int, seen: Set<String>) -> [MetricExplanation.Input] {
        var inputs: [MetricExplanation.Input] = []
        let parameters = Set(definition.parameters.map { $0.lowercased() })
        for reference in references(in: definition.expression) {
            let lowered = reference.lowercased()
            if parameters.contains(lowered) {
                inputs.append(.init(name: reference, depth: depth, kind: .parameter))
            } else if let inner = engine.definitions[lowered], !seen.contains(lowered) {
                let formula = inner.parameters.isEmpty ? inner.formula : "\(inner.signature) = \(inner.formula)"
                inputs.append(.init(name: reference, depth: depth, kind: .definition(formula: formula)))
                // A function's own parameters are its business: what it is given is listed here.
                inputs += self.inputs(of: inner, depth: depth + 1, seen: seen.union([lowered])).filter {
                    if case .parameter = $0.kind { return $0.depth == depth } else { return true }
                }
            } else if reference.contains(".") || engine.catalog.table(named: reference) != nil {
                inputs.append(.init(name: reference, depth: depth, kind: .relatedTable(key: engine.keyColumn)))
            } else if let table = engine.defaultTable, let column = table.column(named: reference) {
                inputs.append(.init(name: reference, depth: depth,
                                    kind: .column(table: table.name, type: column.type, nulls: column.nullCount)))
            } else {
                inputs.append(.init(name: reference, depth: depth, kind: .notLoaded))
            }
        }
        return inputs
    }

    /// Names a formula mentions, in order, without repeats (not function names or words);
    /// tables named alone come last.
    func references(in expression: Expr) -> [String] {
        var names: [String] = []
        func walk(_ e: Expr) {
            switch e.kind {
            case .name(let name, _): if !names.contains(name) { names.append(name) }
            // A function of the library or yours is read like a definition (its values with it).
            case .call(let name, _, _) where engine.definitions[name.lowercased()]?.parameters.isEmpty == false:
                if !names.contains(name) { names.append(name) }
                e.children.forEach(walk)
            case .qualified(let table, let column): let name = table + "." + column; if !names.contains(name) { names.append(name) }
            default: e.children.forEach(walk)
            }
        }
        walk(expression)
        return names.filter { engine.catalog.table(named: $0) == nil || $0.contains(".") }
            + names.filter { !$0.contains(".") && engine.catalog.table(named: $0) != nil }
    }

    /// For prefer(a, b), the form the loaded data uses (the binder's choice); else the formula.
    func formInUse(on table: Table) -> Expr {
        engine.definitionBinder(on: table, definitions: engine.definitions, source: definition.source,
                                defining: definition.name).formInUse(definition.expression)
    }

    /// A per-row metric on the first row that has a value, with its inputs put into the formula.
    func rowExample() -> MetricExplanation.Example? {
        guard let table = engine.defaultTable else { return nil }
        let form = formInUse(on: table)
        // Roll-ups (count(orders), sum(orders.amount)) are shown by value, like columns.
        let rollups = aggregateParts(of: form).map(text)
        let inputs = references(in: form).filter { name in !name.contains(".") && engine.catalog.table(named: name) == nil }
        let key = ["customer_id", "name"].filter { table.columnIndex(named: $0) != nil }
        let items = key + inputs.map { "`\($0)`" } + rollups + ["`\(definition.name)`"]
        guard let row = firstRow("show " + items.joined(separator: ", ") + " where `\(definition.name)` is not null limit 1"),
              row.count == items.count else {
            return .noRow(table: table.name)
        }
        var worked: [MetricExplanation.Piece] = [.text(text(form))]
        for (index, rollup) in rollups.enumerated() {
            worked = Self.replacingFirst(rollup, with: row[key.count + inputs.count + index], in: worked)
        }
        for (index, input) in inputs.enumerated() {
            worked = Self.replacingWord(input, with: row[key.count + index], in: worked)
        }
        // With nothing left to show between them (a roll-up alone), the form is shown as written.
        let parts = worked.filter { if case .text(let t) = $0 { return !t.isEmpty } else { return true } }
        let alone: Bool
        if parts.count == 1, case .value = parts[0] { alone = true } else { alone = false }
        var without: (missing: MetricExplanation.Value, total: MetricExplanation.Value)?
        if let counts = firstRow("count as total, count(`\(definition.name)` is null) as missing"), counts.count == 2 {
            without = (counts[1], counts[0])
        }
        return .row(who: key.indices.map { (key[$0], row[$0]) }, form: text(form), worked: alone ? nil : worked,
                    value: row[row.count - 1], rowsWithout: without)
    }

    /// A measure: its value on all loaded rows, and the aggregates it is made of.
    func measureExample() -> MetricExplanation.Example? {
        guard let table = engine.defaultTable else { return nil }
        let form = formInUse(on: table)
        let parts = aggregateParts(of: form).map(text)
        let items = parts.enumerated().map { "\($0.element) as `part\($0.offset)`" } + ["`\(definition.name)`"]
        guard let row = firstRow(items.joined(separator: ", ")), row.count == items.count else { return nil }
        var worked: [MetricExplanation.Piece] = [.text(text(form))]
        for (index, part) in parts.enumerated() { worked = Self.replacingFirst(part, with: row[index], in: worked) }
        return .measure(parts: parts.indices.map { (parts[$0], row[$0]) }, worked: worked, value: row[row.count - 1],
                        groupColumn: groupColumn(of: table))
    }

    /// A text column with few values to suggest grouping by (region, tier, …), if any.
    func groupColumn(of table: Table) -> String? {
        table.columns.first { column in
            if case .string(let strings) = column.values, let size = strings.dictionarySize, size <= 50 { return true }
            return false
        }?.name
    }

    /// The text of part of the definition, as written.
    func text(_ expression: Expr) -> String {
        let bytes = Array(definition.source.utf8)
        return String(decoding: bytes[expression.range.start..<expression.range.end], as: UTF8.self)
    }

    /// The outermost aggregate calls of an expression, in order.
    func aggregateParts(of expression: Expr) -> [Expr] {
        var parts: [Expr] = []
        func walk(_ e: Expr) {
            if case .call(let name, _, _) = e.kind, FunctionRegistry.named(name)?.kind == .aggregate {
                if !parts.contains(where: { $0.range == e.range }) { parts.append(e) }
                return
            }
            e.children.forEach(walk)
        }
        walk(expression)
        return parts
    }

    /// The first row of a query's result, each value as a one-row column.
    func firstRow(_ query: String) -> [MetricExplanation.Value]? {
        guard let outcomes = try? engine.run(query), case .result(let result)? = outcomes.last, result.table.rowCount > 0 else {
            return nil
        }
        return result.table.columns.map { MetricExplanation.Value(Evaluator.gathered($0, rows: [0])) }
    }

    /// The pieces with the first occurrence of `target` in their text replaced by `value`.
    static func replacingFirst(_ target: String, with value: MetricExplanation.Value,
                               in pieces: [MetricExplanation.Piece]) -> [MetricExplanation.Piece] {
        var result = pieces
        for (index, piece) in pieces.enumerated() {
            guard case .text(let text) = piece, let range = text.firstRange(of: target) else { continue }
            result.replaceSubrange(index...index, with: [.text(String(text[..<range.lowerBound])), .value(value),
                                                         .text(String(text[range.upperBound...]))])
            return result
        }
        return result
    }

    /// The pieces with every whole-word `word` in their text replaced by `value`.
    static func replacingWord(_ word: String, with value: MetricExplanation.Value,
                              in pieces: [MetricExplanation.Piece]) -> [MetricExplanation.Piece] {
        pieces.flatMap { piece -> [MetricExplanation.Piece] in
            guard case .text(let text) = piece else { return [piece] }
            var result: [MetricExplanation.Piece] = []
            var plain = "", current = ""
            func endWord() {
                if current == word {
                    result.append(.text(plain))
                    result.append(.value(value))
                    plain = ""
                } else {
                    plain += current
                }
                current = ""
            }
            for character in text {
                if character.isLetter || character.isNumber || character == "_" {
                    current.append(character)
                } else {
                    endWord()
                    plain.append(character)
                }
            }
            endWord()
            result.append(.text(plain))
            return result
        }
    }
}
