import CustqDiagnostics
import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Preparing the orders after every load: which table they are, their roles, their lines
/// and the customers derived from them (see OrderRoles).
extension Engine {
    /// What preparing the orders found, to tell the user.
    public struct OrdersReport: Sendable, Equatable {
        /// "orders: InvoiceDate is read as order_date, …", when roles were mapped.
        public var lines: [String] = []
    }

    /// After loading (or `.orders`): finds the orders table and maps its column roles, and
    /// derives a customers table from the orders' key when no customers table is loaded.
    /// `explicit`: the table and role → column names given with `.orders`.
    /// A statement that fails changes nothing: the tables and the statement in force stay
    /// as they were. A remembered statement that no longer applies after a load (its
    /// columns are gone) is dropped with a line saying so, and the orders are found again.
    public func prepareOrders(explicit: OrdersStatement? = nil) throws(Diagnostic) -> OrdersReport {
        let saved = (catalog, customerRows, ordersAsLoaded, ordersStatement, ordersModel, derivedCustomersKey)
        func restore() {
            (catalog, customerRows, ordersAsLoaded, ordersStatement, ordersModel, derivedCustomersKey) = saved
        }
        do {
            return try preparingOrders(explicit: explicit)
        } catch {
            restore()
            guard explicit == nil, let kept = ordersStatement else { throw error }
            // Back to the tables as loaded, and the orders found by their names.
            if let loaded = tableAsLoaded(kept.table) { catalog.update(loaded) }
            restoreCustomerRows()
            ordersStatement = nil
            ordersAsLoaded = nil
            var report = try preparingOrders(explicit: nil)
            report.lines.insert("orders: .orders \(kept.table) … no longer applies (\(error.message)): "
                                + "the orders are found by their column names again", at: 0)
            return report
        }
    }

    func preparingOrders(explicit: OrdersStatement?) throws(Diagnostic) -> OrdersReport {
        var report = OrdersReport()
        restoreCustomerRows()
        // The statement in force: a new one, else the last while its table is loaded.
        if explicit == nil, let kept = ordersStatement, !catalog.tables.contains(where: { $0.name.lowercased() == kept.table.lowercased() }) {
            ordersStatement = nil
            ordersAsLoaded = nil
        }
        let statement = explicit ?? ordersStatement
        if let explicit, let kept = ordersStatement, kept.table.lowercased() != explicit.table.lowercased(),
           let loaded = tableAsLoaded(kept.table) {
            // Another table becomes the orders: the former one is again as it was read.
            catalog.update(loaded)
            ordersAsLoaded = nil
        }
        let candidates = catalog.tables.filter { !$0.source.hasPrefix(Self.derivedSource) }
        var chosen: Table?
        var explicitColumns: [String: Int] = [:]
        var personColumn: (table: String, column: String)?
        var spreadFields: [String] = []
        var asLoaded: Table?
        if let statement {
            guard var table = tableAsLoaded(statement.table) else {
                throw Diagnostic.error("no table named '\(statement.table)' is loaded",
                                       help: "loaded: " + catalog.tableNames.joined(separator: ", "))
            }
            asLoaded = table
            // Order fields of first lines first, so that a condition on them keeps whole orders.
            (table, spreadFields) = OrderLines.spreadingOrderFields(of: table)
            if let filter = statement.filter {
                let before = table.rowCount
                table = try filtered(table, by: filter)
                report.lines.append("orders: \(NumberFormat.grouped(table.rowCount)) of \(Plural.count(before, "row")) of "
                                    + "\(table.name) are the orders (where \(filter)); .orders \(table.name) alone brings back all")
            }
            var said: [String] = []
            for (role, written) in statement.roles.sorted(by: { $0.key < $1.key }) {
                let canonical = role == "customer_id" ? keyColumn : role
                var index = table.columnIndex(named: written)
                if index == nil {
                    // Not a column: an expression of the orders (a lookup, a roll-up, arithmetic);
                    // a mistyped name is reported by the binder with the names it might be.
                    let (column, lookup) = try roleColumn(written, role: role, on: table)
                    // The column of the role's own name, if the table has one, is kept under another.
                    if let own = table.columns.firstIndex(where: { $0.name.lowercased() == canonical.lowercased() }) {
                        let kept = canonical + "_as_loaded"
                        table = table.renaming(column: own, to: kept)
                        said.append("its own \(canonical) is kept as \(kept)")
                    }
                    var named = column
                    named.name = canonical
                    table = table.adding(named)
                    table.computedColumns.insert(canonical)
                    index = table.columns.count - 1
                    said.insert("\(canonical) is \(written)", at: 0)
                    if role == "customer_id", let lookup, lookup.table.lowercased() != table.name.lowercased() { personColumn = lookup }
                }
                guard let index else { continue }
                guard OrderRoles.fits(table.columns[index], role: role) else {
                    throw Diagnostic.error("\(table.name).\(table.columns[index].name) cannot be the \(role): it holds "
                                           + "\(table.columns[index].type) values, and \(role) needs "
                                           + (role == "amount" ? "numbers" : "dates"))
                }
                explicitColumns[role] = index
            }
            if !said.isEmpty { report.lines.append("orders: " + said.joined(separator: "; ")) }
            chosen = table
        } else {
            chosen = candidates.first { $0.name.lowercased() == Self.ordersTableName }
                ?? candidates.first { $0.roleName?.lowercased() == Self.ordersTableName }
                ?? candidates.first { table in
                    // A table of one row per customer (a customers export under another name)
                    // is not orders, whatever its columns are called.
                    guard !["customers", "responses"].contains(table.name.lowercased()) else { return false }
                    let roles = OrderRoles.detect(in: table, key: keyColumn)
                    guard OrderRoles.complete(roles, lines: OrderRoles.lineRoles(in: table)), let key = roles["customer_id"] else { return false }
                    return !relations.isUnique(table.columns[key])
                }
            if let table = chosen?.withoutComputedColumns { (chosen, spreadFields) = OrderLines.spreadingOrderFields(of: table) }
        }
        guard var orders = chosen else { return report }
        var roles = OrderRoles.detect(in: orders, key: keyColumn, explicit: explicitColumns)
        let lineRoles = OrderRoles.lineRoles(in: orders)
        // No amount but a quantity and a unit price: the amount is their product. A price
        // with no quantity beside it is the amount of a row of one item (Olist's items).
        let computesAmount = explicitColumns["amount"] == nil && lineRoles["quantity"] != nil && lineRoles["price"] != nil
            && (roles["amount"] == nil || roles["amount"] == lineRoles["price"])
        var priceIsAmount = false
        if roles["amount"] == nil, lineRoles["quantity"] == nil, let price = lineRoles["price"] {
            roles["amount"] = price
            priceIsAmount = true
        }
        guard OrderRoles.complete(roles, lines: lineRoles) || orders.name.lowercased() == Self.ordersTableName else {
            let missing = ["customer_id", "order_date", "amount"].filter { roles[$0] == nil }
            throw Diagnostic.error("\(orders.name) cannot be read as orders: no column for " + missing.joined(separator: ", "),
                                   help: ".orders \(orders.name) customer_id=COLUMN order_date=COLUMN amount=COLUMN")
        }
        var mapped: [String] = []
        var columnRoles: [String: String] = [:]
        for (role, _) in OrderRoles.conventionalNames {
            guard let index = roles[role], !(role == "amount" && computesAmount) else { continue }
            let canonical = role == "customer_id" ? keyColumn : role
            let column = orders.columns[index]
            if role == "order_date", column.type == .timestamp {
                // Metrics count whole days: a timestamp column gives an order_date of its date part.
                // A timestamp column called order_date itself keeps its times as order_timestamp.
                if column.name.lowercased() == canonical {
                    let kept = orders.columns.contains { $0.name.lowercased() == "order_timestamp" } ? "order_date_time" : "order_timestamp"
                    orders = orders.renaming(column: index, to: kept)
                    mapped.append("order_date holds times: their dates are order_date, the times \(kept)")
                    orders = orders.adding(Self.datePart(of: column, named: canonical))
                    orders.computedColumns.insert(canonical)
                    continue
                }
                if orders.columns.contains(where: { $0.name.lowercased() == canonical }) { continue }
                orders = orders.adding(Self.datePart(of: column, named: canonical))
                orders.computedColumns.insert(canonical)
                mapped.append("\(canonical) is the date of \(column.name)")
                continue
            }
            if column.name.lowercased() != canonical.lowercased() {
                columnRoles[canonical.lowercased()] = column.name
                mapped.append("\(column.name) is read as \(canonical)" + (role == "amount" && priceIsAmount ? " (there is no quantity: each row is one item)" : ""))
            }
        }
        orders.columnRoles = columnRoles
        // Order lines, computed amounts and what counts as a purchase.
        if let date = orders.columnIndex(named: Self.orderDateColumn) {
            let amount = computesAmount ? nil : orders.columnIndex(named: Self.amountColumn)
            let model = OrderLines(orderID: lineRoles["order_id"], quantity: lineRoles["quantity"], price: lineRoles["price"],
                                   amount: amount, date: date, computesAmount: computesAmount, spreadFields: spreadFields)
            let (modelled, said) = model.apply(to: orders)
            orders = modelled
            mapped += said
            ordersModel = said
        }
        if orders.name.lowercased() != Self.ordersTableName {
            orders.roleName = Self.ordersTableName
            mapped.insert("\(orders.name) is read as the orders table", at: 0)
        } else {
            orders.roleName = nil
        }
        for other in catalog.tables where other.name != orders.name && other.roleName != nil {
            // The former orders: no roles, nothing computed.
            var other = other.withoutComputedColumns
            other.roleName = nil
            other.columnRoles = [:]
            catalog.update(other)
        }
        catalog.update(orders)
        if let statement, let asLoaded {
            ordersStatement = statement
            ordersAsLoaded = (asLoaded, orders.columns[0])
        }
        if !mapped.isEmpty { report.lines.append("orders: " + mapped.joined(separator: "; ")) }
        if let personColumn { report.lines.append(try regroupCustomers(personColumn.table, by: personColumn.column)) }
        if let line = deriveCustomers(from: orders) { report.lines.append(line) }
        report.lines += keyReport(orders: orders)
        return report
    }

    static let derivedSource = "derived from "
}
