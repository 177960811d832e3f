import CustqResult
import CustqStore
import CustqText

/// `explain NAME` drawn as text: the facts, the formula, what it reads, and the worked
/// example, prose wrapped to the terminal.
public struct ExplanationText {
    let explanation: MetricExplanation
    /// Where prose wraps.
    let width: Int
    let nullText: String

    /// The whole explanation; with a terminal `width`, every line wrapped to it.
    public static func render(_ explanation: MetricExplanation, width: Int?, nullText: String) -> String {
        let text = ExplanationText(explanation: explanation, width: width ?? 88, nullText: nullText).text
        return width == nil ? text : Prose.wrap(text, width: width, indent: "    ")
    }

    var text: String {
        let e = explanation
        var out = e.name
        if !e.names.isEmpty { out += " — " + e.names.joined(separator: " · ") }
        out += "\n" + facts.joined(separator: " · ") + "\n"
        if let about = e.about { out += "\n" + wrap(about, indent: "") + "\n" }
        var signature = e.name
        if case .function(let parameters, _) = e.computes { signature += "(" + parameters.joined(separator: ", ") + ")" }
        out += "\nformula:  \(signature) = \(e.formula)\n"
        out += "reads:\n" + e.inputs.map(line).joined()
        if !e.conventions.isEmpty {
            out += "conventions:\n" + e.conventions.map { "  " + wrap("- " + $0, indent: "    ") + "\n" }.joined()
        }
        if case .nothing(let reason) = e.computes {
            return out + "\nnot computable here: \(reason)\n"
        }
        if case .function(let parameters, let use) = e.computes {
            let placeholder = e.name + "(" + parameters.map { _ in "COLUMN" }.joined(separator: ", ") + ")"
            guard let use else { return out + "\nuse: \(placeholder), the value\(parameters.count == 1 ? "" : "s") in place of \(parameters.joined(separator: ", "))\n" }
            out += "\nuse: \(placeholder), e.g. \(use)"
            if let value = e.useValue { out += "; on the loaded data \(use) = \(show(value))" }
            return out + "\n"
        }
        out += "\n" + (e.example.map(example) ?? "")
        if let asOf = e.asOf {
            out += ResultText.note(asOf) + (e.asOfIsSet ? "" : "; set another with .asof YYYY-MM-DD") + "\n"
        }
        return out
    }

    /// `yours · kind: Value · unit: currency · a value per row`.
    var facts: [String] {
        var facts: [String] = []
        switch explanation.origin {
        case .builtIn: break
        case .yours: facts.append("yours")
        case .yoursInPlaceOfBuiltIn:
            facts.append("yours, in place of the built-in (undefine \(explanation.name) brings it back)")
        }
        if let kind = explanation.kind { facts.append("kind: " + kind) }
        if let unit = explanation.unit { facts.append("unit: " + unit) }
        switch explanation.computes {
        case .nothing: facts.append("cannot be computed on the loaded data")
        case .function(let parameters, _): facts.append("a function of " + parameters.joined(separator: ", "))
        case .measure: facts.append("a measure over a group of rows")
        case .perRow: facts.append("a value per row")
        }
        return facts
    }

    func line(_ input: MetricExplanation.Input) -> String {
        let indent = String(repeating: "  ", count: input.depth)
        switch input.kind {
        case .definition(let formula):
            return indent + input.name + "  (defined: \(formula))\n"
        case .relatedTable(let key):
            return indent + input.name + "  (a related table, by \(key))\n"
        case .column(let table, let type, let nulls):
            return indent + input.name + "  (column of \(table), \(type.displayName), \(NumberFormat.grouped(nulls)) nulls)\n"
        case .notLoaded:
            return indent + input.name + "  (not in the loaded data)\n"
        case .parameter:
            return indent + input.name + "  (the value given in its place)\n"
        }
    }

    func example(_ example: MetricExplanation.Example) -> String {
        let name = explanation.name
        switch example {
        case .row(let who, let form, let worked, let value, let without):
            let whom = who.isEmpty ? "the first row" : who.map { "\($0.column) \(show($0.value))" }.joined(separator: ", ")
            var out = "example (\(whom)):\n  \(name) = \(worked.map(show) ?? form)\n  \(name) = \(show(value))\n"
            if let without { out += "rows without a value: \(show(without.missing)) of \(show(without.total))\n" }
            return out
        case .noRow(let table):
            return "example: no row of \(table) has a value\n"
        case .measure(let parts, let worked, let value, let group):
            var out = "on the loaded data (all rows):\n"
            for part in parts { out += "  \(part.text) = \(show(part.value))\n" }
            out += "  \(name) = \(show(worked)) = \(show(value))\n"
            if let group { out += "by group: \(name) by \(group) (the same formula on each group's rows)\n" }
            return out
        }
    }

    /// A value as people read it.
    func show(_ value: MetricExplanation.Value) -> String {
        let decimals = PeopleText.decimals(for: value.column, rows: 0..<1)
        return PeopleText.cell(value.column, row: 0, nullText: nullText, decimals: decimals)
    }

    func show(_ pieces: [MetricExplanation.Piece]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .value(let value): show(value)
            }
        }.joined()
    }

    func wrap(_ text: String, indent: String) -> String {
        Prose.wrap(text, width: width, indent: indent)
    }
}
