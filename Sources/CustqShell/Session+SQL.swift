import CustqDiagnostics
import CustqEngine

/// `.sql [DIALECT] QUERY` and `--sql DIALECT`: a query's SQL, written instead of run.
extension Session {
    /// The dialect and the query of a `.sql` line, the query with `.sql` and the dialect
    /// blanked out so positions in messages stay those of the line; nil for other commands.
    static func sqlCommand(_ text: String) -> (dialect: SQLDialect?, query: String)? {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard let first = words.first, first.lowercased() == ".sql" else { return nil }
        var consumed = first.endIndex
        var dialect: SQLDialect?
        if words.count > 1, let named = SQLDialect(named: String(words[1])) {
            dialect = named
            consumed = words[1].endIndex
        }
        return (dialect, String(repeating: " ", count: text[..<consumed].count) + text[consumed...])
    }

    func writeSQL(_ command: (dialect: SQLDialect?, query: String), context: PieceContext) -> Outcome {
        let dialect = command.dialect ?? sqlDialect ?? .duckdb
        let rest = command.query.drop { $0 == " " }
        if rest.hasPrefix(".schema") {
            // `.sql DIALECT .schema [TABLE]`: the dot-command as --sql DIALECT runs it.
            let saved = sqlDialect
            sqlDialect = dialect
            defer { sqlDialect = saved }
            do throws(Diagnostic) {
                return try DotCommand.parse(String(rest), origin: nil).run(in: self)
            } catch {
                report(context.place(error))
                return .failed
            }
        }
        guard command.query.contains(where: { $0 != " " && $0 != "\n" && $0 != "\t" }) else {
            message("usage: .sql [duckdb|postgres|spark] QUERY, e.g. .sql postgres count by region (DuckDB when no dialect is named)")
            return .failed
        }
        do {
            for statement in try engine.sql(command.query, dialect: dialect) {
                guard emit(statement + ";\n") else { return .failed }
            }
        } catch {
            var diagnostic = context.place(error.diagnostic(in: command.query, file: nil, line: 1))
            // The excerpt shows the line as typed, `.sql` and the dialect included.
            if var location = diagnostic.location, location.sourceLine?.first == " ",
               let typed = context.piece.text.split(separator: "\n", omittingEmptySubsequences: false).first {
                location.sourceLine = String(typed)
                diagnostic.location = location
            }
            if command.dialect == nil, let word = command.query.split(separator: " ").first,
               word.allSatisfy(\.isLetter), !Self.startsQuery(String(word), in: self) {
                diagnostic.help = "the dialect is named first: .sql postgres QUERY (duckdb, postgres or spark)"
            }
            report(diagnostic)
            return .failed
        }
        return .ok
    }

    /// Whether a query can begin with `word`: a query form, a function or aggregate, a
    /// definition or a column of the default table (else it is probably a dialect misspelt).
    static func startsQuery(_ word: String, in session: Session) -> Bool {
        let lowered = word.lowercased()
        let forms = ["top", "bottom", "show", "from", "describe", "histogram", "chart", "cohort", "retention", "growth",
                     "concentration", "rfm", "abc", "distinct"]
        return forms.contains(lowered) || FunctionRegistry.named(lowered) != nil
            || session.engine.definitions[lowered] != nil || session.engine.defaultTable?.column(named: word) != nil
    }
}
