/// An expression as written, with the span of text it came from.
public struct Expr: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        /// `42`, `2.5`, `10k`, `20%`.
        case number(Double, isInteger: Bool)
        /// `'text'` or `"text"`.
        case string(String)
        /// `2024-01-31` (days since 1970-01-01).
        case date(Int)
        /// `true`, `false`.
        case boolean(Bool)
        /// `null`.
        case null
        /// A name: a column, a definition, or (compared with text) a bare word such as `A`.
        /// `quoted` when written in backticks, which makes it always a name.
        case name(String, quoted: Bool)
        /// `table.column`, e.g. `orders.amount` (roll-ups across tables).
        case qualified(table: String, column: String)
        /// `-x`, `not x`.
        case unary(UnaryOperator, Expr)
        /// `a + b`, `a = b`, `a and b`, …
        case binary(BinaryOperator, Expr, Expr)
        /// `x in (a, b, …)`, `x not in (…)`.
        case inList(Expr, [Expr], negated: Bool)
        /// `x between a and b`, `x not between a and b`.
        case between(Expr, Expr, Expr, negated: Bool)
        /// `x is null`, `x is not null`.
        case isNull(Expr, negated: Bool)
        /// `round(x, 2)`, `avg(clv)`, `avg clv`, `count(*)` (`star`).
        case call(name: String, arguments: [Expr], star: Bool)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

extension Expr {
    /// The expressions directly inside this one, in the order they are written.
    public var children: [Expr] {
        switch kind {
        case .unary(_, let e), .isNull(let e, _): [e]
        case .binary(_, let l, let r): [l, r]
        case .inList(let e, let values, _): [e] + values
        case .between(let a, let b, let c, _): [a, b, c]
        case .call(_, let arguments, _): arguments
        case .number, .string, .date, .boolean, .null, .name, .qualified: []
        }
    }
}

extension Expr {
    /// The expression with `transform` applied to every node, innermost first (each node
    /// sees its children already transformed).
    public func map(_ transform: (Expr) -> Expr) -> Expr {
        var copy = self
        switch kind {
        case .unary(let op, let e): copy.kind = .unary(op, e.map(transform))
        case .isNull(let e, let negated): copy.kind = .isNull(e.map(transform), negated: negated)
        case .binary(let op, let l, let r): copy.kind = .binary(op, l.map(transform), r.map(transform))
        case .inList(let e, let values, let negated):
            copy.kind = .inList(e.map(transform), values.map { $0.map(transform) }, negated: negated)
        case .between(let a, let b, let c, let negated):
            copy.kind = .between(a.map(transform), b.map(transform), c.map(transform), negated: negated)
        case .call(let name, let arguments, let star):
            copy.kind = .call(name: name, arguments: arguments.map { $0.map(transform) }, star: star)
        case .number, .string, .date, .boolean, .null, .name, .qualified: break
        }
        return transform(copy)
    }
}
