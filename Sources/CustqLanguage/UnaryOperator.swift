public enum UnaryOperator: String, Sendable, Equatable {
    case negate = "-"
    case not = "not"
}
