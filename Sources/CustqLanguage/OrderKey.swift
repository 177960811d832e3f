public struct OrderKey: Sendable, Equatable {
    public var expression: Expr
    public var descending: Bool

    public init(_ expression: Expr, descending: Bool) {
        self.expression = expression
        self.descending = descending
    }
}
