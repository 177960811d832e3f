import CustqStore

extension Engine {
    /// The orders table in use and which of its columns play each role; nil when no table
    /// is read as the orders. `purchase_id` is listed only when the table has one, and
    /// `purchase_date` only when it is another column than the order date.
    public var orderColumnRoles: (table: String, roles: [OrderColumnRole])? {
        guard let orders = catalog.table(named: Self.ordersTableName) else { return nil }
        let stated = ordersStatement?.table.lowercased() == orders.name.lowercased() ? ordersStatement : nil
        let roles = [keyColumn, Self.orderDateColumn, Self.amountColumn, "purchase_id", "purchase_date"].compactMap { role -> OrderColumnRole? in
            let column = orders.column(named: role)
            if role == "purchase_id", column == nil { return nil }
            if role == "purchase_date", column?.name != role { return nil }
            let computed = column.map { orders.addedColumns.contains($0.name) } ?? false
            let formula = computed ? stated?.roles[role == keyColumn ? "customer_id" : role] : nil
            return OrderColumnRole(role: role, column: column?.name, formula: formula, computed: computed)
        }
        return (orders.name, roles)
    }

    /// The canonical names matched to columns of the tables other than the orders, table by
    /// table in load order.
    public var canonicalMatches: [CanonicalMatch] {
        catalog.tables.filter { !$0.answers(to: Self.ordersTableName) }.flatMap { table in
            CustomerColumns.canonicalNames.compactMap { canonical in
                table.columnAliases[canonical].map { CanonicalMatch(table: table.name, column: $0, canonical: canonical) }
            }
        }
    }
}
