/// One thing said of how the orders are read.
public enum OrdersReading: Sendable, Equatable {
    /// A table not called orders is read as the orders.
    case ordersTable(String)
    /// A column read under a canonical name; `oneItemPerRow`: a price alone is the amount.
    case column(String, readAs: String, oneItemPerRow: Bool)
    /// A canonical date taken from a timestamp column.
    case dateOf(canonical: String, column: String)
    /// A timestamp column called order_date: its dates are order_date, its times kept.
    case timesKeptAs(String)
    /// A role set by hand with `.orders` (a column or an expression).
    case stated(role: String, as: String)
    /// The table's own column of a stated role's name, kept under another name.
    case ownColumnKept(role: String, as: String)
    /// The amount computed as quantity × price.
    case amountIsProduct(quantity: String, price: String)
    /// Rows are lines of orders: `amountOncePerOrder` names an amount given on first lines only.
    case lines(rows: Int, orders: Int, id: String, amountOncePerOrder: String?)
    /// Order fields given on each order's first line only, read for all of its lines.
    case spreadFields([String])
    /// Cancelled orders (by an id column) and return lines, which are not purchases.
    case cancellations(orders: Int, id: String?, returnLines: Int)
}
