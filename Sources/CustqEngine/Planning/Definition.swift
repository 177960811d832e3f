import CustqLanguage

/// A name defined with `define NAME = EXPR`: a derived per-row column, or an aggregate
/// measure when EXPR aggregates.
public struct Definition: Sendable {
    public var name: String
    public var expression: Expr
    /// The statement text the expression's ranges point into.
    public var source: String
    /// Labels, description, unit and conventions, when the definition gives them.
    public var about = DefinitionText()
    /// Whether it came from the built-in metric library (the prelude).
    public var isBuiltIn = false
    /// A function's parameters (`define top2box(x) = …`): the names its expression reads
    /// for the values a use gives, `top2box(product_score)`. None for a plain definition.
    public var parameters: [String] = []

    /// How a use of it is written: `top2box(x)`, or the name alone.
    public var signature: String {
        parameters.isEmpty ? name : "\(name)(\(parameters.joined(separator: ", ")))"
    }

    /// The expression as written, e.g. `annual_revenue * lifetime_years * margin`.
    public var formula: String {
        let bytes = Array(source.utf8)
        let range = expression.range
        return String(decoding: bytes[max(0, range.start)..<min(bytes.count, range.end)], as: UTF8.self)
    }
}
