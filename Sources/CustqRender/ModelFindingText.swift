import CustqResult
import CustqText

/// The customer model's findings after a load or `.orders`, one line each, as the shell
/// prints them under the load.
public enum ModelFindingText {
    public static func line(_ finding: ModelFinding) -> String {
        switch finding {
        case .statementDropped(let table, let reason):
            return "orders: .orders \(table) … no longer applies (\(reason)): the orders are found by their column names again"
        case .ordersKept(let table, let kept, let total, let condition):
            return "orders: \(NumberFormat.grouped(kept)) of \(Plural.count(total, "row")) of \(table) are the orders "
                + "(where \(condition)); .orders \(table) alone brings back all"
        case .orders(let readings):
            return "orders: " + readings.map(reading).joined(separator: "; ")
        case .keyKinds(let kinds, let relatedByValue):
            let both = "orders: \(kinds.customers).\(kinds.customerKey) holds \(kinds.customerKeyType) keys and "
                + "\(kinds.orders).\(kinds.orderKey) \(kinds.orderKeyType) ones"
            return both + (relatedByValue ? ": they are related by value (a text key of digits alone is its number, 001 is 1)"
                                          : ", which can never be equal: no order has a customer")
        case .ordersWithoutCustomer(let count, let keyed, let key):
            return "orders: \(NumberFormat.grouped(count)) of \(Plural.count(keyed, "order")) with a \(key) "
                + "match no customer (they count for no customer figure)"
        case .customersShareKeys(let key):
            return "orders: some customers share one key once their keys are read as numbers (01 and 1): their orders "
                + "count for each of them; load the keys as text (--type \(key)=string) to keep them apart"
        case .customersDerived(let derived):
            return customers(derived)
        case .people(let people):
            return self.people(people)
        case .canonicalNames(let table, let matches):
            return "\(table): " + matches.map { "\($0.column) → \($0.canonical)" }.joined(separator: ", ")
        }
    }

    /// One reading of the orders, as `.orders` lists them under the roles.
    public static func reading(_ reading: OrdersReading) -> String {
        switch reading {
        case .ordersTable(let table):
            return "\(table) is read as the orders table"
        case .column(let column, let canonical, let oneItemPerRow):
            return "\(column) is read as \(canonical)" + (oneItemPerRow ? " (there is no quantity: each row is one item)" : "")
        case .dateOf(let canonical, let column):
            return "\(canonical) is the date of \(column)"
        case .timesKeptAs(let kept):
            return "order_date holds times: their dates are order_date, the times \(kept)"
        case .stated(let role, let written):
            return "\(role) is \(written)"
        case .ownColumnKept(let role, let kept):
            return "its own \(role) is kept as \(kept)"
        case .amountIsProduct(let quantity, let price):
            return "amount is \(quantity) × \(price)"
        case .lines(let rows, let orders, let id, let amountOncePerOrder):
            let amount = amountOncePerOrder.map { "\($0) is given once per order (on its first line), and monetary sums it" }
                ?? "monetary sums the lines"
            return "\(Plural.count(rows, "line")) in \(Plural.count(orders, "order")) (\(id)): frequency counts orders, " + amount
        case .spreadFields(let fields):
            return fields.joined(separator: ", ") + (fields.count == 1 ? " is" : " are")
                + " given on each order's first line only: read for all of its lines"
        case .cancellations(let orders, let id, let returnLines):
            var parts: [String] = []
            if orders > 0, let id { parts.append("\(Plural.count(orders, "cancelled order")) (\(id) starting with C)") }
            if returnLines > 0 { parts.append("\(Plural.count(returnLines, "return line")) (a negative quantity or amount)") }
            return parts.joined(separator: " and ") + " net off their customers' spend and are not purchases"
        }
    }

    private static func customers(_ derived: ModelFinding.DerivedCustomers) -> String {
        var line = "customers: \(NumberFormat.grouped(derived.count)) derived from the \(derived.key) of "
            + "\(derived.orders) (no customers table is loaded); queries without from run on them"
        if let other = derived.lookalike {
            line += "; to read \(other.table) as the customers, load it as customers (.load \(other.source) as customers)"
        }
        let unkeyed = derived.unkeyed
        if unkeyed > 0 {
            line += "; \(NumberFormat.grouped(unkeyed)) \(unkeyed == 1 ? "order has" : "orders have") no "
                + "\(derived.key) and \(unkeyed == 1 ? "belongs" : "belong") to no customer"
        }
        return line
    }

    private static func people(_ people: ModelFinding.People) -> String {
        var line = "customers: \(NumberFormat.grouped(people.count)) people by \(people.key), from the "
            + "\(Plural.count(people.rows, "row")) of \(people.table)"
        if people.renamed { line += " (kept as \(people.rowsKeptAs))" }
        if let loaded = people.loadedKey {
            line += "; its \(loaded) (a key per order's customer) is only in \(people.rowsKeptAs)"
        }
        if !people.varying.isEmpty {
            line += "; " + people.varying.joined(separator: ", ") + (people.varying.count == 1 ? " differs" : " differ")
                + " between one person's rows: only in \(people.rowsKeptAs)"
        }
        if people.unkeyed > 0 { line += "; \(Plural.count(people.unkeyed, "row")) without a \(people.key) belong to no one" }
        return line
    }
}
