/// One statement, as parsed.
public struct Statement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case query(Query)
        /// `define NAME = EXPR`, or `define NAME(PARAMETER, …) = EXPR`: a function of the values
        /// it is given (`define top2box(x) = 100.0 * count(x >= 4) / count(x)`).
        case define(name: String, nameRange: SourceRange, expression: Expr, about: DefinitionText, parameters: [String])
        /// `undefine NAME`: removes a definition of yours, or brings back the built-in one it replaced.
        case undefine(name: String, nameRange: SourceRange)
        /// `exit` or `quit` alone, as in DuckDB's shell: leave.
        case quit
        /// `help` alone (or `help TOPIC`): help is a dot-command, `.help`.
        case help(topic: String?)
        /// `metrics`: the metric library, listed.
        case metrics
        /// `clv`, `clv fit …`: the predictive customer models.
        case model(ModelStatement)
        /// `explain NAME`: what a metric means, worked on the loaded data.
        case explain(name: String, nameRange: SourceRange)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}
