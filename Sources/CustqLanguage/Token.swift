/// One lexical unit of a statement.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A name: column, metric, table, function or keyword (`clv`, `华东`, `TOP`).
        case word(String)
        /// A name in backticks: never a keyword (`` `annual revenue` ``).
        case quotedName(String)
        /// `42`, `2.5`, `10k` (10,000), `1.5m`, `20%` (0.2). `isInteger` when written without
        /// a point, exponent or percent and within Int64.
        case number(Double, isInteger: Bool)
        /// `'text'` or `"text"`.
        case string(String)
        /// `2024-01-31`, as days since 1970-01-01.
        case date(Int)
        /// `+ - * / % = != <> < <= > >= ( ) , ; *`
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var range: SourceRange
    /// The exact source text of the token.
    public var text: String

    public init(_ kind: Kind, _ range: SourceRange, _ text: String) {
        self.kind = kind
        self.range = range
        self.text = text
    }

    /// The lowercased word when this is a bare word, for keyword checks.
    public var keyword: String? {
        if case .word(let word) = kind { return word.lowercased() }
        return nil
    }

    public func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = kind { return s == symbol }
        return false
    }

    public func isKeyword(_ word: String) -> Bool { keyword == word }
}
