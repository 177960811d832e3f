import CustqText

/// Parses statements (see the README's Query language section for the grammar).
/// Recursive descent with a depth limit, so no input can exhaust the stack, and every
/// loop consumes a token, so no input can hang it.
public struct Parser {
    static let maxDepth = 200
    /// The largest count a statement takes (`top N`, `limit N`, `bins N`).
    static let maxCount = 1_000_000_000
    /// The most operators one statement may hold: binding and evaluating go as deep as a
    /// chain of them (`a + b + c …`), and this keeps that depth well inside the stack.
    static let maxOperators = 10_000

    let tokens: [Token]
    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// The argument of the last prefix aggregate when it was one bare word (`count bye`):
    /// a typo of a keyword reads as a column there, and the error should say so.
    var lastPrefixArgument: Token?
    /// Binary operators met so far in the statement.
    var operators = 0

    public init(_ source: String) throws(LanguageError) {
        tokens = try Lexer(source).tokens()
        bytes = Array(source.utf8)
    }

    /// All statements of `source`, separated by `;`.
    public static func parse(_ source: String) throws(LanguageError) -> [Statement] {
        var parser = try Parser(source)
        var statements: [Statement] = []
        while true {
            while parser.current.isSymbol(";") { parser.advance() }
            if case .end = parser.current.kind { return statements }
            let first = parser.current
            try parser.rejectSQL()
            let statement = try parser.statement()
            statements.append(statement)
            if parser.current.isSymbol(";") { continue }
            if case .end = parser.current.kind { return statements }
            throw parser.strayToken(after: statement, first: first)
        }
    }

    // MARK: Tokens

    var current: Token { tokens[index] }
    var next: Token { tokens[min(index + 1, tokens.count - 1)] }
    var previous: Token? { index > 0 ? tokens[index - 1] : nil }

    /// Whether `token` ends a statement (`;` or the end of the text).
    func endsStatement(_ token: Token) -> Bool {
        if case .end = token.kind { return true }
        return token.isSymbol(";")
    }

    func text(_ start: Int, _ end: Int) -> String {
        let start = max(0, min(start, bytes.count)), end = max(start, min(end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    var previousEnd: Int { index > 0 ? tokens[index - 1].range.end : 0 }

    mutating func accept(keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            advance()
            return true
        }
        return false
    }

    mutating func accept(symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func expect(symbol: String, after: String) throws(LanguageError) {
        guard accept(symbol: symbol) else { throw ParseErrors.expected("'\(symbol)'", after: after, found: current) }
    }

    mutating func close(_ opening: String) throws(LanguageError) {
        guard accept(symbol: ")") else { throw ParseErrors.unclosed(opening, found: current) }
    }

    mutating func expect(keyword: String, after: String) throws(LanguageError) {
        guard accept(keyword: keyword) else {
            var error = ParseErrors.expected("'\(keyword)'", after: after, found: current)
            // `top 5 bi clv`: a keyword mistyped is named like a mistyped column.
            if let word = current.keyword, EditDistance.between(word, keyword) <= max(1, keyword.count / 3) {
                error.help = "did you mean '\(keyword)'?"
            }
            throw error
        }
    }

    mutating func wholeNumber(_ what: String) throws(LanguageError) -> Int {
        guard case .number(let value, true) = current.kind, value >= 1, value <= Double(Self.maxCount) else {
            throw ParseErrors.wholeNumber(what, found: current)
        }
        advance()
        return Int(value)
    }

    /// A name: a bare word that is not a keyword here, or a name in backticks.
    mutating func name(_ what: String, after: String) throws(LanguageError) -> (String, SourceRange) {
        switch current.kind {
        case .word(let word) where !Grammar.clauseWords.contains(word.lowercased()) && !Grammar.operatorWords.contains(word.lowercased()):
            let range = current.range
            advance()
            return (word, range)
        case .quotedName(let quoted):
            let range = current.range
            advance()
            return (quoted, range)
        default:
            throw ParseErrors.expected(what, after: after, found: current)
        }
    }
}
