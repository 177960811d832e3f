import CustqText

/// Every message the parser gives, in one place.
enum ParseErrors {
    static func expected(_ what: String, after: String?, found token: Token) -> LanguageError {
        let context = after.map { " after '\($0)'" } ?? ""
        var help: String?
        if let word = token.keyword, Grammar.clauseWords.contains(word) || Grammar.operatorWords.contains(word) {
            help = "if \(token.text) is a column, write it in backticks: `\(token.text)`"
        }
        return LanguageError("expected \(what)\(context), found \(describe(token))", range(of: token), help: help)
    }

    static func unclosed(_ opening: String, found token: Token) -> LanguageError {
        LanguageError("expected ')' to close '\(opening)', found \(describe(token))", range(of: token))
    }

    static func unknownStart(_ token: Token, suggestion: String?) -> LanguageError {
        LanguageError("a statement cannot start with \(describe(token))", range(of: token),
                      help: suggestion.map { "did you mean '\($0)'?" }
                        ?? "statements start with top, bottom, show, count, an aggregate such as avg, describe, histogram, chart or define")
    }

    static func repeatedClause(_ word: String, at token: Token) -> LanguageError {
        LanguageError("'\(word)' appears twice in this statement", range(of: token),
                      help: "combine conditions with and: where a and b")
    }

    static func clauseNotAllowed(_ word: String, in form: String, at token: Token, help: String? = nil) -> LanguageError {
        LanguageError("'\(word)' does not go with \(form)", range(of: token), help: help)
    }

    static func wholeNumber(_ what: String, found token: Token) -> LanguageError {
        LanguageError("\(what) must be a whole number from 1 to \(NumberFormat.grouped(Parser.maxCount)), found \(describe(token))",
                      range(of: token))
    }

    static func tooDeep(_ token: Token) -> LanguageError {
        LanguageError("this expression is nested too deeply (over \(Parser.maxDepth) levels)", range(of: token))
    }

    static func trailing(_ token: Token) -> LanguageError {
        LanguageError("unexpected \(describe(token)): the statement ended before it", range(of: token),
                      help: "separate statements with ; or a new line")
    }

    static func range(of token: Token) -> SourceRange {
        token.range.length == 0 ? SourceRange(token.range.start, token.range.start + 1) : token.range
    }

    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: "the end of the statement"
        case .word(let word): Grammar.clauseWords.contains(word.lowercased()) || Grammar.operatorWords.contains(word.lowercased())
            ? "keyword '\(word)'" : "'\(word)'"
        case .quotedName(let name): "`\(name)`"
        case .number: "number \(token.text)"
        case .string: "text \(token.text)"
        case .date: "date \(token.text)"
        case .symbol(let symbol): "'\(symbol)'"
        }
    }
}
