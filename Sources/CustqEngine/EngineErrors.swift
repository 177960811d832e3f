import CustqLanguage
import CustqText

/// Every message about names and types, in one place.
enum EngineErrors {
    static func unknownName(_ name: String, at range: SourceRange, candidates: [String], table: String) -> LanguageError {
        if PredictiveModels.definedNames.contains(name.lowercased()) {
            return LanguageError("\(name) comes from the models clv fit fits, and none is fitted yet", range,
                                 help: "clv fit fits them on the orders; .help clv says more")
        }
        if let close = EditDistance.closest(to: name, in: candidates) {
            return LanguageError("unknown column '\(name)'", range, help: "did you mean '\(close)'?")
        }
        // `cout by tier`: a statement word or aggregate mistyped reads as a column name.
        // (Not the word itself: `concentration + 1` is no misspelt `concentration`.)
        let words = (Grammar.statementWords + FunctionRegistry.aggregateNames).filter { $0 != name.lowercased() }
        if let close = EditDistance.closest(to: name, in: words) {
            return LanguageError("unknown column '\(name)'", range, help: "did you mean '\(close)'?")
        }
        return LanguageError("unknown column '\(name)'", range,
                             help: "\(table) has: " + candidates.prefix(30).joined(separator: ", ")
                                + (candidates.count > 30 ? ", …" : ""))
    }

    static func unknownTable(_ name: String, at range: SourceRange, known: [String]) -> LanguageError {
        let help = EditDistance.closest(to: name, in: known).map { "did you mean '\($0)'?" }
            ?? (known.isEmpty ? "no tables are loaded: load one with .load FILE" : "loaded tables: " + known.joined(separator: ", "))
        return LanguageError("no table named '\(name)'", range, help: help)
    }

    static func noTable(at range: SourceRange) -> LanguageError {
        LanguageError("no table to query: load a file first", range,
                      help: "start custq with a file (custq customers.csv) or use .load FILE")
    }

    static func unknownFunction(_ name: String, at range: SourceRange) -> LanguageError {
        let known = FunctionRegistry.functionNames + FunctionRegistry.aggregateNames
        let help = EditDistance.closest(to: name, in: known).map { "did you mean \($0)?" }
            ?? "functions: " + FunctionRegistry.functionNames.joined(separator: ", ")
        return LanguageError("unknown function '\(name)'", range, help: help)
    }

    static func arity(_ name: String, expected: ClosedRange<Int>, found: Int, at range: SourceRange) -> LanguageError {
        let count = expected.lowerBound == expected.upperBound ? "\(expected.lowerBound)" : "\(expected.lowerBound) to \(expected.upperBound)"
        return LanguageError("\(name) takes \(count) argument\(expected.upperBound == 1 ? "" : "s"), found \(found)", range,
                             help: FunctionRegistry.named(name).map { "\(name): \($0.help)" })
    }

    static func cannotCompare(_ left: (ValueType, String), _ right: (ValueType, String), at range: SourceRange) -> LanguageError {
        LanguageError("cannot compare \(left.0.rawValue) \(left.1) with \(right.0.rawValue) \(right.1)", range)
    }

    static func needs(_ what: String, found type: ValueType, text: String, at range: SourceRange, help: String? = nil) -> LanguageError {
        LanguageError("\(what), but \(text) is \(article(type)) \(type.rawValue)", range, help: help)
    }

    static func measureNeedsGroup(_ name: String, at range: SourceRange, inAggregate: Bool, columns: [String]) -> LanguageError {
        let perRow = columns.first.map { "; each row's own value is \($0) (e.g. top 5 by \($0))" } ?? ""
        return LanguageError(inAggregate ? "\(name) is a measure over a group of rows and cannot go inside another aggregate"
                                         : "\(name) is a measure over a group of rows, not a value per row",
                             range, help: "compute it per group: \(name) by region, or \(name) alone for all rows" + perRow)
    }

    static func aggregateNotAllowed(_ name: String, at range: SourceRange) -> LanguageError {
        LanguageError("\(name) is an aggregate and cannot be used here", range,
                      help: "aggregates go in the list before by/where, e.g. avg clv by region; to filter groups, query them first")
    }

    static func nestedAggregate(_ name: String, at range: SourceRange) -> LanguageError {
        LanguageError("an aggregate cannot contain another aggregate (\(name) inside an aggregate)", range)
    }

    static func needsAggregate(_ text: String, at range: SourceRange) -> LanguageError {
        LanguageError("'\(text)' is not an aggregate", range,
                      help: "a list before by/where holds aggregates such as count, avg \(text), sum \(text); to list rows use show \(text)")
    }

    static func columnOutsideAggregate(_ column: String, at range: SourceRange) -> LanguageError {
        LanguageError("\(column) is used outside an aggregate in a list of aggregates", range,
                      help: "wrap it in one (avg \(column), max \(column)) or group by it (… by \(column))")
    }

    static func rollupNeedsAggregate(_ text: String, table: String, at range: SourceRange) -> LanguageError {
        LanguageError("\(text) is one value per row of \(table) here, not an aggregate", range,
                      help: "aggregate it over the groups, e.g. sum(\(text)) or avg(\(text))")
    }

    static func noKey(other: String, table: String, key: String, at range: SourceRange) -> LanguageError {
        LanguageError("cannot relate \(other) to \(table): both need a \(key) column", range)
    }

    static func cycle(_ names: [String], at range: SourceRange) -> LanguageError {
        LanguageError("definitions refer to each other in a circle: " + names.joined(separator: " → "), range)
    }

    static func inDefinition(_ name: String, _ inner: LanguageError, at range: SourceRange) -> LanguageError {
        // Through a long chain of definitions, the innermost few say where the problem is.
        var notes = ["in the definition of \(name)"] + inner.notes
        if notes.count > 6 { notes = Array(notes.prefix(3)) + ["…"] + Array(notes.suffix(2)) }
        return LanguageError(inner.message, range, help: inner.help, notes: notes)
    }

    static func manyRelated(_ table: String, column: String, key: String, at range: SourceRange) -> LanguageError {
        LanguageError("\(table) has several rows for some \(key) values, so \(table).\(column) is not one value", range,
                      help: "aggregate them per row: sum(\(table).\(column)), max(\(table).\(column)), count(\(table))")
    }

    static func notInGroups(_ text: String, at range: SourceRange) -> LanguageError {
        LanguageError("cannot order groups by '\(text)'", range,
                      help: "order by one of the listed aggregates or by a group")
    }

    static func overflow(at range: SourceRange) -> LanguageError {
        LanguageError("integer overflow: a result does not fit in 64 bits", range,
                      help: "multiply by 1.0 to compute in decimals")
    }

    static func dateOutOfRange(at range: SourceRange) -> LanguageError {
        LanguageError("a date goes past the dates custq holds (the years 1 to 9999)", range,
                      help: "days added to a date must keep it between 0001-01-01 and 9999-12-31")
    }

    static func article(_ type: ValueType) -> String {
        type == .integer ? "an" : "a"
    }

    /// A metric none of whose forms has its data: what each form reads that is missing.
    static func metricNeeds(_ metric: String, alternatives: [[String]], table: String, at range: SourceRange) -> LanguageError {
        let canonical = alternatives.joined().filter { CustomerColumns.canonicalNames.contains($0.lowercased()) }
        var help = "load the data"
        if let first = canonical.first { help += ", or name your column that holds \(first): .map \(first)=COLUMN" }
        return LanguageError("\(metric) needs " + needed(alternatives, table: table), range, help: help)
    }

    /// What would let one of a metric's forms run, in words: `an orders table with amount,
    /// or a total_spent column in customers`.
    static func needed(_ alternatives: [[String]], table: String) -> String {
        func article(_ word: String) -> String { "aeiou".contains(word.prefix(1).lowercased()) ? "an" : "a" }
        func describe(_ names: [String]) -> String {
            names.map { name in
                guard let dot = name.firstIndex(of: ".") else { return "\(article(name)) \(name) column in \(table)" }
                let tableName = String(name[..<dot]), column = String(name[name.index(after: dot)...])
                return "\(article(tableName)) \(tableName) table" + (column.isEmpty ? "" : " with \(column)")
            }.joined(separator: " and ")
        }
        var seen = Set<String>()
        return alternatives.map(describe).filter { seen.insert($0).inserted }.joined(separator: ", or ")
    }
}
