import CustqDiagnostics
import CustqLanguage
import CustqResult
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
        /// Which table the orders are, how they are read, their keys and customers.
        public var findings: [ModelFinding] = []
    }

    /// After loading (or `.orders`): finds the orders table and maps its column roles, and
    /// derives a customers table from the orders' key when no customers table is loaded.
    /// `explicit`: the table and role → column names given with `.orders`.
    /// A statement that fails changes nothing: the tables and the statement in force stay
    /// as they were. A remembered statement that no longer applies after a load (its
    /// columns are gone) is dropped with a line saying so, and the orders are found again.
    public func prepareOrders(explicit: OrdersStatement? = nil) throws(Diagnostic) -> OrdersReport {
        let saved = (catalog, customerRows, ordersAsLoaded, ordersStatement, ordersModel, derivedCustomersKey, orderLines)
        func restore() {
            (catalog, customerRows, ordersAsLoaded, ordersStatement, ordersModel, derivedCustomersKey, orderLines) = saved
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
            report.findings.insert(.statementDropped(table: kept.table, reason: error.message), at: 0)
            return report
        }
    }

    func preparingOrders(explicit: OrdersStatement?) throws(Diagnostic) -> OrdersReport {
        var report = OrdersReport()
        restoreCustomerRows()
        orderLines = nil
        let statement = statementInForce(explicit)
        var stated: StatedOrders?
        var chosen: Table?
        var spreadFields: [String] = []
        if let statement {
            let named = try orders(statedBy: statement, report: &report)
            (stated, chosen, spreadFields) = (named, named.table, named.spreadFields)
        } else if let found = ordersByTheirNames() {
            (chosen, spreadFields) = OrderLines.spreadingOrderFields(of: found.withoutAddedColumns)
        }
        guard var orders = chosen else { return report }
        let explicitColumns = stated?.columns ?? [:]
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
        var mapped = mapRoles(roles, of: &orders, computesAmount: computesAmount, priceIsAmount: priceIsAmount)
        if let rows = orders.rowsElsewhere, orders.addedColumns.contains(Self.orderDateColumn) {
            // The date part of a timestamp is custq's own column, which the database lacks.
            throw Diagnostic.error("the order dates of \(orders.name) are timestamps on \(rows.location), and custq reads metrics from dates",
                                   help: "make a view there with CAST(… AS date) AS order_date, or .load \(orders.name) to copy it in")
        }
        // Order lines, computed amounts and what counts as a purchase.
        if let date = orders.columnIndex(named: Self.orderDateColumn) {
            let amount = computesAmount ? nil : orders.columnIndex(named: Self.amountColumn)
            let model = OrderLines(orderID: lineRoles["order_id"], quantity: lineRoles["quantity"], price: lineRoles["price"],
                                   amount: amount, date: date, computesAmount: computesAmount, spreadFields: spreadFields)
            let (modelled, said) = model.apply(to: orders, facts: try orderFacts(model, of: orders))
            orderLines = (modelled.name, model, orders)
            orders = modelled
            mapped += said
            ordersModel = said
        }
        if orders.name.lowercased() != Self.ordersTableName {
            orders.alias = Self.ordersTableName
            mapped.insert(.ordersTable(orders.name), at: 0)
        } else {
            orders.alias = nil
        }
        install(orders)
        if let statement, let stated {
            ordersStatement = statement
            ordersAsLoaded = (stated.asLoaded, orders.columns[0])
        }
        if !mapped.isEmpty { report.findings.append(.orders(mapped)) }
        if let person = stated?.personColumn { report.findings.append(try regroupCustomers(person.table, by: person.column)) }
        if let derived = deriveCustomers(from: orders) { report.findings.append(derived) }
        report.findings += keyReport(orders: orders)
        return report
    }

    /// The `.orders` statement that applies: a new one, else the last while its table is
    /// loaded. A new one for another table gives the former its columns as loaded.
    private func statementInForce(_ explicit: OrdersStatement?) -> OrdersStatement? {
        if explicit == nil, let kept = ordersStatement,
           !catalog.tables.contains(where: { $0.name.lowercased() == kept.table.lowercased() }) {
            ordersStatement = nil
            ordersAsLoaded = nil
        }
        if let explicit, let kept = ordersStatement, kept.table.lowercased() != explicit.table.lowercased(),
           let loaded = tableAsLoaded(kept.table) {
            catalog.update(loaded)
            ordersAsLoaded = nil
        }
        return explicit ?? ordersStatement
    }

    /// The orders as a `.orders` statement gives them: the table as loaded, its rows where
    /// the condition holds, and the roles it sets by hand.
    private struct StatedOrders {
        var table: Table
        var asLoaded: Table
        /// The columns of the roles set by hand (computed ones included).
        var columns: [String: Int] = [:]
        /// A customer key looked up in another table (the customers' people).
        var personColumn: (table: String, column: String)?
        var spreadFields: [String] = []
    }

    private func orders(statedBy statement: OrdersStatement, report: inout OrdersReport) throws(Diagnostic) -> StatedOrders {
        guard let loaded = tableAsLoaded(statement.table) else {
            throw Diagnostic.error("no table named '\(statement.table)' is loaded",
                                   help: "loaded: " + catalog.tableNames.joined(separator: ", "))
        }
        // Order fields of first lines first, so that a condition on them keeps whole orders.
        let (spread, spreadFields) = OrderLines.spreadingOrderFields(of: loaded)
        var stated = StatedOrders(table: spread, asLoaded: loaded, spreadFields: spreadFields)
        if let filter = statement.filter {
            if let rows = loaded.rowsElsewhere {
                throw Diagnostic.error(".orders … where is not applied on \(rows.location) yet, where the rows of \(loaded.name) are",
                                       help: "make a view of the orders that count there, or .load \(loaded.name) to copy them in")
            }
            let before = stated.table.rowCount
            stated.table = try filtered(stated.table, by: filter)
            report.findings.append(.ordersKept(table: stated.table.name, kept: stated.table.rowCount, of: before,
                                               condition: filter))
        }
        var said: [OrdersReading] = []
        for (role, written) in statement.roles.sorted(by: { $0.key < $1.key }) {
            guard let index = try stateRole(role, as: written, in: &stated, said: &said) else { continue }
            let column = stated.table.columns[index]
            guard OrderRoles.fits(column, role: role) else {
                throw Diagnostic.error("\(stated.table.name).\(column.name) cannot be the \(role): it holds "
                                       + "\(column.type) values, and \(role) needs " + (role == "amount" ? "numbers" : "dates"))
            }
            stated.columns[role] = index
        }
        if !said.isEmpty { report.findings.append(.orders(said)) }
        return stated
    }

    /// The column of a role set by hand: a column by name, or an expression of the orders
    /// (a lookup, a roll-up, arithmetic) computed into a column of the role's name.
    private func stateRole(_ role: String, as written: String, in stated: inout StatedOrders,
                           said: inout [OrdersReading]) throws(Diagnostic) -> Int? {
        if let index = stated.table.columnIndex(named: written) { return index }
        let canonical = role == "customer_id" ? keyColumn : role
        // A mistyped name is reported by the binder with the names it might be.
        let (column, lookup) = try roleColumn(written, role: role, on: stated.table)
        // The column of the role's own name, if the table has one, is kept under another.
        if let own = stated.table.columns.firstIndex(where: { $0.name.lowercased() == canonical.lowercased() }) {
            let kept = canonical + "_as_loaded"
            stated.table = stated.table.renaming(column: own, to: kept)
            said.append(.ownColumnKept(role: canonical, as: kept))
        }
        var named = column
        named.name = canonical
        stated.table = stated.table.adding(named)
        stated.table.addedColumns.insert(canonical)
        said.insert(.stated(role: canonical, as: written), at: 0)
        if role == "customer_id", let lookup, lookup.table.lowercased() != stated.table.name.lowercased() {
            stated.personColumn = lookup
        }
        return stated.table.columns.count - 1
    }

    /// The orders found by their names: a table called orders, one playing the role, else
    /// the first with a customer key, a date and an amount (or lines) that is not one row
    /// per customer.
    private func ordersByTheirNames() -> Table? {
        let candidates = catalog.tables.filter { !$0.source.hasPrefix(Self.derivedSource) }
        return candidates.first { $0.name.lowercased() == Self.ordersTableName }
            ?? candidates.first { $0.alias?.lowercased() == Self.ordersTableName }
            ?? candidates.first { table in
                // A table of one row per customer (a customers export under another name)
                // is not orders, whatever its columns are called.
                guard !["customers", "responses"].contains(table.name.lowercased()) else { return false }
                let roles = OrderRoles.detect(in: table, key: keyColumn)
                guard OrderRoles.complete(roles, lines: OrderRoles.lineRoles(in: table)), let key = roles["customer_id"] else { return false }
                return !relations.isUnique(table.columns[key])
            }
    }

    /// Each role's column read under its canonical name (a date taken from a timestamp);
    /// returns what was mapped.
    private func mapRoles(_ roles: [String: Int], of orders: inout Table, computesAmount: Bool,
                          priceIsAmount: Bool) -> [OrdersReading] {
        var mapped: [OrdersReading] = []
        var columnAliases: [String: String] = [:]
        for (role, _) in OrderRoles.conventionalNames {
            guard let index = roles[role], !(role == "amount" && computesAmount) else { continue }
            let canonical = role == "customer_id" ? keyColumn : role
            let column = orders.columns[index]
            if role == "order_date", column.type == .timestamp {
                if let said = Self.datePart(of: column, at: index, as: canonical, in: &orders) { mapped.append(said) }
                continue
            }
            if column.name.lowercased() != canonical.lowercased() {
                columnAliases[canonical.lowercased()] = column.name
                mapped.append(.column(column.name, readAs: canonical, oneItemPerRow: role == "amount" && priceIsAmount))
            }
        }
        orders.columnAliases = columnAliases
        return mapped
    }

    /// Metrics count whole days: a timestamp column gives an order_date of its date part. A
    /// timestamp column called order_date itself keeps its times as order_timestamp.
    private static func datePart(of column: Column, at index: Int, as canonical: String, in orders: inout Table) -> OrdersReading? {
        if column.name.lowercased() == canonical {
            let kept = orders.columns.contains { $0.name.lowercased() == "order_timestamp" } ? "order_date_time" : "order_timestamp"
            orders = orders.renaming(column: index, to: kept)
            orders = orders.adding(datePart(of: column, named: canonical))
            orders.addedColumns.insert(canonical)
            return .timesKeptAs(kept)
        }
        if orders.columns.contains(where: { $0.name.lowercased() == canonical }) { return nil }
        orders = orders.adding(datePart(of: column, named: canonical))
        orders.addedColumns.insert(canonical)
        return .dateOf(canonical: canonical, column: column.name)
    }

    /// The orders in the catalog, and every former orders table without roles or computed
    /// columns.
    private func install(_ orders: Table) {
        for other in catalog.tables where other.name != orders.name && other.alias != nil {
            var other = other.withoutAddedColumns
            other.alias = nil
            other.columnAliases = [:]
            catalog.update(other)
        }
        catalog.update(orders)
    }

    static let derivedSource = "derived from "
}
