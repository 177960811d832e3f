/// `.orders TABLE [role = COLUMN | EXPRESSION …] [where CONDITION]`: which table holds the
/// orders, roles set by hand (a column, or an expression of the orders: a computed amount,
/// a key looked up in the customers), and which rows count.
public struct OrdersStatement: Sendable, Equatable {
    public var table: String
    /// Role (`customer_id`, `order_date`, `amount`) → a column name or an expression.
    public var roles: [String: String]
    public var filter: String?

    public init(table: String, roles: [String: String] = [:], filter: String? = nil) {
        self.table = table
        self.roles = roles
        self.filter = filter
    }
}
