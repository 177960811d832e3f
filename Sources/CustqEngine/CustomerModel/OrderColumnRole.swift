import CustqStore

/// Which column plays each role of the orders, as `.orders` shows it.
public struct OrderColumnRole: Sendable, Equatable {
    /// `customer_id` (the session's key), `order_date`, `amount`, `purchase_id`, `purchase_date`.
    public let role: String
    /// The column's own name; nil when no column plays the role.
    public let column: String?
    /// The expression given with `.orders` when custq computed the column from it.
    public let formula: String?
    /// Whether custq computed the column (it is not in the file).
    public let computed: Bool
}
