/// An item in a `show` list or an aggregate list, with an optional `as NAME`.
public struct SelectItem: Sendable, Equatable {
    public var expression: Expr
    public var alias: String?

    public init(_ expression: Expr, alias: String? = nil) {
        self.expression = expression
        self.alias = alias
    }
}
