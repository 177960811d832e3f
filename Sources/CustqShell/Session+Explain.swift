import CustqDiagnostics
import CustqEngine
import CustqLanguage
import CustqRender
import CustqStore

extension Session {
    /// `explain NAME`: what a metric means, its formula, what it is computed from, and a
    /// worked example on the loaded data.
    func explain(_ words: [String], _ context: PieceContext) -> Outcome {
        guard words.count == 1 else {
            report(.error("explain takes one metric name", help: "e.g. explain nps; metrics lists them"))
            return .failed
        }
        let name = words[0]
        guard let definition = engine.definitions[name.lowercased()] else {
            // `explain annual_revenue`: a column is described, not explained.
            if let table = engine.catalog.tables.first(where: { $0.column(named: name) != nil }),
               let column = table.column(named: name) {
                report(.error("\(column.name) is a column of \(table.name) (\(column.type.displayName)), not a metric",
                              help: "describe \(column.name) summarises it\(table.name == engine.defaultTable?.name ? "" : " (from \(table.name) describe \(column.name))"); metrics lists the metrics"))
                return .failed
            }
            let known = engine.definitions.values.map(\.name)
            report(.error("no metric named '\(name)'",
                          help: EditDistance.closest(to: name, in: known).map { "did you mean \($0)?" } ?? "metrics lists them"))
            return .failed
        }
        let text = Explanation(session: self, definition: definition, width: width ?? 88).text
        emit(width == nil ? text : Prose.wrap(text, width: width, indent: "    "))
        return .ok
    }
}

/// The text of `explain`.
struct Explanation {
    let session: Session
    let definition: Definition
    /// Where prose wraps.
    var width = 88

    var engine: Engine { session.engine }

    var text: String {
        let about = definition.about
        var out = definition.name
        let names = [about.label, about.chinese].compactMap { $0 }
        if !names.isEmpty { out += " — " + names.joined(separator: " · ") }
        out += "\n"
        let status = engine.status(of: definition)
        var problem: String?
        if case .unusable(let reason) = status { problem = reason }
        let measure = status == .measure
        var facts: [String] = []
        if !definition.isBuiltIn {
            facts.append(engine.replacesBuiltIn(definition.name)
                         ? "yours, in place of the built-in (undefine \(definition.name) brings it back)" : "yours")
        }
        if let kind = about.kind { facts.append("kind: " + kind) }
        if let unit = about.unit { facts.append("unit: " + unit) }
        facts.append(problem != nil ? "cannot be computed on the loaded data" : measure ? "a measure over a group of rows" : "a value per row")
        out += facts.joined(separator: " · ") + "\n"
        if let text = about.about { out += "\n" + wrap(text, indent: "") + "\n" }
        out += "\nformula:  \(definition.name) = \(definition.formula)\n"
        out += "reads:\n" + tree(of: definition, depth: 1, seen: [definition.name.lowercased()]).joined()
        if !about.notes.isEmpty {
            out += "conventions:\n" + about.notes.map { "  " + wrap("- " + $0, indent: "    ") + "\n" }.joined()
        }
        if let problem {
            out += "\nnot computable here: \(problem)\n"
            return out
        }
        out += "\n" + (measure ? measureExample() : rowExample())
        if engine.readsAsOfDate(definition) {
            out += ResultText.note(engine.asOfNote) + (engine.asOf == nil ? "; set another with .asof YYYY-MM-DD" : "") + "\n"
        }
        return out
    }

    /// The names a definition reads, down to columns, one line each.
    func tree(of definition: Definition, depth: Int, seen: Set<String>) -> [String] {
        var lines: [String] = []
        let indent = String(repeating: "  ", count: depth)
        for reference in references(in: definition.expression, source: definition.source) {
            let lowered = reference.lowercased()
            if let inner = engine.definitions[lowered], !seen.contains(lowered) {
                lines.append(indent + reference + "  (defined: \(inner.formula))\n")
                lines += tree(of: inner, depth: depth + 1, seen: seen.union([lowered]))
            } else if reference.contains(".") || engine.catalog.table(named: reference) != nil {
                lines.append(indent + reference + "  (a related table, by customer_id)\n")
            } else if let table = engine.defaultTable, let column = table.column(named: reference) {
                lines.append(indent + reference + "  (column of \(table.name), \(column.type.displayName), \(NumberFormat.grouped(column.nullCount)) nulls)\n")
            } else {
                lines.append(indent + reference + "  (not in the loaded data)\n")
            }
        }
        return lines
    }

    /// Names a formula mentions, in order, without repeats (not function names or words).
    func references(in expression: Expr, source: String) -> [String] {
        var names: [String] = []
        func walk(_ e: Expr) {
            switch e.kind {
            case .name(let name, _): if !names.contains(name) { names.append(name) }
            case .qualified(let table, let column): let name = table + "." + column; if !names.contains(name) { names.append(name) }
            default: e.children.forEach(walk)
            }
        }
        walk(expression)
        return names.filter { engine.catalog.table(named: $0) == nil || $0.contains(".") }
            + names.filter { !$0.contains(".") && engine.catalog.table(named: $0) != nil }
    }

    /// A per-row metric: the first row that has a value, with its inputs put into the formula.
    func rowExample() -> String {
        guard let table = engine.defaultTable else { return "" }
        // For prefer(a, b), the form the loaded data uses: the first that runs.
        let forms = Engine.forms(of: definition.expression)
        let form = forms.dropLast().first { firstRow("show (\(text($0))) as v limit 1") != nil } ?? forms[forms.count - 1]
        // Roll-ups (count(orders), sum(orders.amount)) are shown by value, like columns.
        let rollups = aggregateParts(of: form).map(text)
        let inputs = references(in: form, source: definition.source).filter { name in
            !name.contains(".") && engine.catalog.table(named: name) == nil
        }
        let key = ["customer_id", "name"].filter { table.columnIndex(named: $0) != nil }
        let items = key + inputs.map { "`\($0)`" } + rollups + ["`\(definition.name)`"]
        guard let row = firstRow("show " + items.joined(separator: ", ") + " where `\(definition.name)` is not null limit 1"),
              row.count == items.count else {
            return "example: no row of \(table.name) has a value\n"
        }
        var formula = text(form)
        for (index, rollup) in rollups.enumerated() {
            formula = formula.replacingFirst(rollup, with: row[key.count + inputs.count + index])
        }
        for (index, input) in inputs.enumerated() {
            formula = replacingWord(input, with: row[key.count + index], in: formula)
        }
        let who = key.isEmpty ? "the first row" : key.enumerated().map { "\($0.element) \(row[$0.offset])" }.joined(separator: ", ")
        let value = row[row.count - 1]
        // With nothing left to show between them (a roll-up alone), show the form itself.
        let working = formula == value ? text(form) : formula
        var out = "example (\(who)):\n  \(definition.name) = \(working)\n  \(definition.name) = \(value)\n"
        if let counts = firstRow("count as total, count(`\(definition.name)` is null) as missing"), counts.count == 2 {
            out += "rows without a value: \(counts[1]) of \(counts[0])\n"
        }
        return out
    }

    /// The text of part of the definition, as written.
    func text(_ expression: Expr) -> String {
        let bytes = Array(definition.source.utf8)
        return String(decoding: bytes[expression.range.start..<expression.range.end], as: UTF8.self)
    }

    /// A measure: its value on all loaded rows, and the aggregates it is made of. For
    /// prefer(a, b), the form the loaded data uses.
    func measureExample() -> String {
        let forms = Engine.forms(of: definition.expression)
        for form in forms {
            let parts = aggregateParts(of: form).map(text)
            let items = parts.enumerated().map { "\($0.element) as `part\($0.offset)`" } + ["`\(definition.name)`"]
            // The form is the one in use when its parts compute and give the metric's value.
            guard let row = firstRow(items.joined(separator: ", ")), row.count == items.count,
                  forms.count == 1 || firstRow(text(form) + " as value")?.first == row.last else { continue }
            var out = "on the loaded data (all rows):\n"
            for (index, part) in parts.enumerated() { out += "  \(part) = \(row[index])\n" }
            var formula = text(form)
            for (index, part) in parts.enumerated() { formula = formula.replacingFirst(part, with: row[index]) }
            out += "  \(definition.name) = \(formula) = \(row[row.count - 1])\n"
            if let group = groupColumn {
                out += "by group: \(definition.name) by \(group) (the same formula on each group's rows)\n"
            }
            return out
        }
        return ""
    }

    /// A text column with few values to suggest grouping by (region, tier, …), if any.
    var groupColumn: String? {
        engine.defaultTable?.columns.first { column in
            if case .string(let strings) = column.values, let size = strings.dictionarySize, size <= 50 { return true }
            return false
        }?.name
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

    /// The first row of a query's result, as people read its values.
    func firstRow(_ query: String) -> [String]? {
        guard let outcomes = try? engine.run(query), case .result(let result)? = outcomes.last, result.table.rowCount > 0 else {
            return nil
        }
        return result.table.columns.map { column in
            let decimals = PeopleText.decimals(for: column, rows: 0..<1)
            return PeopleText.cell(column, row: 0, nullText: session.nullText, decimals: decimals)
        }
    }

    func replacingWord(_ word: String, with value: String, in text: String) -> String {
        var result = ""
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else {
                result += current == word ? value : current
                current = ""
                result.append(character)
            }
        }
        return result + (current == word ? value : current)
    }

    func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > width {
                lines.append(line)
                line = indent
            }
            line += (line.isEmpty || line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    func range(of target: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
