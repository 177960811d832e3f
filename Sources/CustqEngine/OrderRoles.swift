import CustqDiagnostics
import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which loaded table holds the orders, and which of its columns play the three roles the
/// metric library reads: the customer key, the order date and the amount. A table named
/// `orders` with those columns needs nothing; a raw transaction export (`InvoiceDate`,
/// `CustomerID`, `Total`) has its roles found by conventional names, or set with `.orders`.
public enum OrderRoles {
    /// The roles, each with the names that conventionally hold it (compared ignoring case,
    /// spaces, `_` and `-`), most specific first.
    static let conventionalNames: [(role: String, names: [String])] = [
        ("customer_id", ["customer_id", "customerid", "customer", "cust_id", "customer_no", "customer_number",
                         "customer_code", "client_id", "client", "user_id", "user", "member_id", "buyer_id",
                         "account_id", "shopper_id", "客户编号", "客户id", "客户号", "会员id", "会员编号", "用户id", "买家id",
                         "email", "customer_email", "邮箱"]),
        ("order_date", ["order_date", "orderdate", "invoice_date", "purchase_date", "transaction_date", "txn_date",
                        "sale_date", "order_time", "order_datetime", "ordered_at", "order_purchase_timestamp", "purchase_timestamp",
                        "order_timestamp", "created_at", "date", "timestamp",
                        "订单日期", "下单日期", "下单时间", "交易日期", "交易时间", "购买日期", "成交日期", "日期"]),
        ("amount", ["amount", "order_amount", "order_total", "total_amount", "total", "revenue", "sales",
                    "sale_amount", "order_value", "value", "net_amount", "gmv", "spend",
                    "金额", "订单金额", "实付金额", "支付金额", "成交金额", "消费金额", "销售额"]),
    ]

    /// Roles an orders table may also have: what makes rows order lines, and the parts of
    /// an amount (see OrderLines).
    static let lineNames: [(role: String, names: [String])] = [
        ("order_id", ["order_id", "orderid", "order_no", "order_number", "invoice", "invoiceno", "invoice_no",
                      "invoice_number", "invoice_id", "transaction_id", "receipt_no", "order", "name",
                      "订单号", "订单编号", "订单id", "单号"]),
        ("quantity", ["quantity", "qty", "units", "lineitem_quantity", "item_quantity", "数量", "购买数量"]),
        ("price", ["unitprice", "unit_price", "price", "lineitem_price", "item_price", "sale_price", "单价", "价格"]),
    ]

    /// The order id, quantity and unit price columns, by conventional name. `Name` is an
    /// order id only when its values are written `#1001` (Shopify).
    static func lineRoles(in table: Table) -> [String: Int] {
        var found: [String: Int] = [:]
        for (role, names) in lineNames {
            for name in names.map(normalized) {
                guard let index = table.columns.firstIndex(where: { normalized($0.name) == name }) else { continue }
                let column = table.columns[index]
                switch role {
                case "quantity", "price":
                    guard column.type == .integer || column.type == .decimal else { continue }
                default:
                    if name == "name" {
                        guard case .string(let values) = column.values,
                              (0..<column.count).first(where: { !column.isNull($0) }).map({ values.string(at: $0).hasPrefix("#") }) == true
                        else { continue }
                    }
                }
                found[role] = index
                break
            }
        }
        return found
    }

    /// Whether the roles found make an orders table: a customer, a date, and an amount or
    /// the quantity and price it is made of.
    static func complete(_ roles: [String: Int], lines: [String: Int]) -> Bool {
        roles["customer_id"] != nil && roles["order_date"] != nil && (roles["amount"] != nil || lines["price"] != nil)
    }

    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Whether a column can play a role: dates for order_date, numbers for amount.
    static func fits(_ column: Column, role: String) -> Bool {
        switch role {
        case "order_date": column.type == .date || column.type == .timestamp
        case "amount": column.type == .integer || column.type == .decimal
        default: true
        }
    }

    /// The table's column for each role: one set explicitly (by index), its own canonical
    /// name, else the first conventional name found. `key` is the relating column's name (`.link`).
    static func detect(in table: Table, key: String, explicit: [String: Int] = [:]) -> [String: Int] {
        var found = explicit
        for (role, names) in conventionalNames where found[role] == nil {
            let canonical = role == "customer_id" ? key : role
            if let index = table.columns.firstIndex(where: { $0.name.lowercased() == canonical.lowercased() }),
               fits(table.columns[index], role: role) {
                found[role] = index
                continue
            }
            let wanted = (role == "customer_id" ? [key] + names : names).map(normalized)
            for name in wanted {
                if let index = table.columns.firstIndex(where: { normalized($0.name) == name && fits($0, role: role) }) {
                    found[role] = index
                    break
                }
            }
        }
        return found
    }
}

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

    private func preparingOrders(explicit: OrdersStatement?) throws(Diagnostic) -> OrdersReport {
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

    /// The table of this name as it was read: a table prepared from an `.orders` statement
    /// (some rows kept, columns computed or renamed) comes back as loaded, unless it was
    /// loaded again since.
    func tableAsLoaded(_ name: String) -> Table? {
        guard let current = catalog.tables.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        if let kept = ordersAsLoaded, kept.table.name.lowercased() == name.lowercased(), !current.columns.isEmpty,
           RelationCache.identity(current.columns[0]) == RelationCache.identity(kept.prepared) {
            return kept.table
        }
        return current.withoutComputedColumns
    }

    /// `.orders TABLE … where CONDITION`: only the rows that meet it are the orders (the
    /// table as loaded comes back with `.orders TABLE` without a condition).
    func filtered(_ table: Table, by filter: String) throws(Diagnostic) -> Table {
        let expression = try orderExpression(filter, on: table, as: "where")
        let rows: [Int32]
        do {
            var binder = definitionBinder(on: table, definitions: definitions, source: expression.source, defining: nil)
            let bound = try binder.bind(expression.expr, allowAggregates: false)
            guard bound.type == .boolean || bound.type == .null else {
                throw LanguageError("where needs a condition (true or false)", expression.expr.range)
            }
            let evaluator = Evaluator(table: table, rows: nil, context: binder.context)
            rows = try evaluator.select(bound)
        } catch let error as LanguageError {
            throw expression.shown(error)
        } catch {
            throw Diagnostic.error("the condition could not be evaluated on \(table.name)")
        }
        let picks = rows.map { Int($0) }
        let columns = table.columns.map { Evaluator.gathered($0, rows: picks) }
        var filtered = Table(name: table.name, columns: columns, rowCount: picks.count, source: table.source + " where " + filter)
        filtered.notes = table.notes
        return filtered
    }

    /// A role given as an expression of the orders (`Quantity * UnitPrice`,
    /// `customers.customer_unique_id`, `sum(order_items.price)`): its value on every row, and
    /// the table and column when it is a lookup of one column of another table.
    func roleColumn(_ formula: String, role: String, on table: Table) throws(Diagnostic) -> (Column, lookup: (table: String, column: String)?) {
        let expression = try orderExpression(formula, on: table, as: role)
        do {
            var binder = definitionBinder(on: table, definitions: definitions, source: expression.source, defining: role)
            let bound = try binder.bind(expression.expr, allowAggregates: false)
            let evaluator = Evaluator(table: table, rows: nil, context: binder.context)
            let values = try evaluator.evaluate(bound)
            var lookup: (String, String)?
            if case .qualified(let other, let column) = expression.expr.kind { lookup = (other, column) }
            return (values.column(named: role), lookup)
        } catch let error as LanguageError {
            throw expression.shown(error)
        } catch {
            throw Diagnostic.error("\(role) = \(formula) could not be computed on \(table.name)")
        }
    }

    /// An expression written in an `.orders` statement, parsed, with messages that point
    /// into it as the user wrote it.
    private func orderExpression(_ text: String, on table: Table, as role: String)
        throws(Diagnostic) -> (expr: Expr, source: String, shown: (LanguageError) -> Diagnostic) {
        let prefix = "define custq_order_role = "
        let source = prefix + text
        let shown = { (error: LanguageError) -> Diagnostic in
            let offset = prefix.utf8.count
            let range = SourceRange(max(0, error.range.start - offset), max(0, error.range.end - offset))
            return LanguageError(error.message, range, help: error.help, notes: error.notes).diagnostic(in: text, file: nil)
        }
        let parsed: [Statement]
        do {
            parsed = try Parser.parse(source)
        } catch {
            throw shown(error)
        }
        guard parsed.count == 1, case .define(_, _, let expression, _) = parsed[0].kind else {
            throw Diagnostic.error(".orders … \(role) takes one expression of \(table.name)",
                                   help: role == "where" ? "e.g. .orders \(table.name) where order_status != 'canceled'"
                                                         : "e.g. .orders \(table.name) amount = Quantity * UnitPrice")
        }
        return (expression, source, shown)
    }

    /// What loading the orders should say about their keys: how they relate to the
    /// customers' when the kinds differ, and how many orders match no customer.
    func keyReport(orders: Table) -> [String] {
        guard let customers = catalog.table(named: "customers"), !customers.source.hasPrefix(Self.derivedSource),
              let here = customers.column(named: keyColumn), let there = orders.column(named: keyColumn) else { return [] }
        var lines: [String] = []
        if KeyMatching.relatesByValue(here.type, there.type) {
            lines.append("orders: \(customers.name).\(here.name) holds \(here.type.displayName) keys and \(orders.name)."
                         + "\(there.name) \(there.type.displayName) ones: they are related by value (a text key of digits "
                         + "alone is its number, 001 is 1)")
        } else if here.type != there.type {
            lines.append("orders: \(customers.name).\(here.name) holds \(here.type.displayName) keys and \(orders.name)."
                         + "\(there.name) \(there.type.displayName) ones, which can never be equal: no order has a customer")
        }
        let relation = relations.relation(from: here, to: there)
        var matched = [Bool](repeating: false, count: relation.grouping.count)
        var customersPerGroup = [Int](repeating: 0, count: relation.grouping.count)
        for group in relation.groupOfRow where group >= 0 {
            matched[group] = true
            customersPerGroup[group] += 1
        }
        var unmatched = 0, keyed = 0
        let groupOf = relation.grouping.groupOf
        for row in 0..<there.count where !there.isNull(row) {
            keyed += 1
            if !matched[Int(groupOf[row])] { unmatched += 1 }
        }
        if unmatched > 0 {
            lines.append("orders: \(NumberFormat.grouped(unmatched)) of \(Plural.count(keyed, "order")) with a \(there.name) "
                         + "match no customer (they count for no customer figure)")
        }
        if customersPerGroup.contains(where: { $0 > 1 }) {
            lines.append("orders: some customers share one key once their keys are read as numbers (01 and 1): their orders "
                         + "count for each of them; load the keys as text (--type \(here.name)=string) to keep them apart")
        }
        return lines
    }

    /// With orders but no customers table: a customers table of the orders' distinct keys
    /// (ascending), so customer metrics (rfm, abc, lifecycle, top by monetary) have rows.
    private func deriveCustomers(from orders: Table) -> String? {
        if let customers = catalog.table(named: "customers"), !customers.source.hasPrefix(Self.derivedSource) { return nil }
        guard let keyIndex = orders.columnIndex(named: keyColumn) else { return nil }
        let source = Self.derivedSource + orders.name + "." + orders.columns[keyIndex].name
        let identity = RelationCache.identity(orders.columns[keyIndex])
        if catalog.table(named: "customers") != nil, derivedCustomersKey == identity { return nil }
        derivedCustomersKey = identity
        let (column, unkeyed) = Self.distinctKeys(of: orders.columns[keyIndex], named: keyColumn)
        let customers = Table(name: "customers", columns: [column], rowCount: column.count, source: source)
        catalog.add(customers)
        var line = "customers: \(NumberFormat.grouped(column.count)) derived from the \(orders.columns[keyIndex].name) of "
            + "\(orders.name) (no customers table is loaded); queries without from run on them"
        // A table of customers under another name: say how to make it the customers.
        if let other = catalog.tables.first(where: { $0.name != orders.name && !$0.source.hasPrefix(Self.derivedSource)
            && !$0.answers(to: Self.ordersTableName) && $0.columnIndex(named: keyColumn) != nil && !$0.source.isEmpty }) {
            line += "; to read \(other.name) as the customers, load it as customers (.load \(other.source) as customers)"
        }
        if unkeyed > 0 {
            line += "; \(NumberFormat.grouped(unkeyed)) \(unkeyed == 1 ? "order has" : "orders have") no "
                + "\(orders.columns[keyIndex].name) and \(unkeyed == 1 ? "belongs" : "belong") to no customer"
        }
        return line
    }

    /// The distinct values of a key column, ascending, as a column named `name`, and how many
    /// rows have no key. Whole-number keys (the usual case, and millions of orders) take a
    /// direct path: a bitmap over their range when they are dense, else a hash table that
    /// skips runs of one key.
    static func distinctKeys(of key: Column, named name: String) -> (Column, unkeyed: Int) {
        if case .string(let strings) = key.values, case .dictionary(let codes, let heap) = strings.storage {
            return (distinctTexts(codes: codes, heap: heap, key: key, named: name), key.nullCount)
        }
        guard case .integer(let values) = key.values else {
            let keys = Evaluator.keyVector(key)
            let bits = Evaluator.keyBits(keys)
            let numbering = BitsNumbering(expected: max(1 << 12, key.count / 4))
            var firstRows: [Int] = []
            for row in 0..<key.count where !keys.isNull(row) {
                let before = numbering.count
                _ = numbering.code(of: bits[row])
                if numbering.count != before { firstRows.append(row) }
            }
            let sorted = (try? Sorting.order(firstRows, by: [(keys, false)])) ?? firstRows
            return (keys.gather(sorted).column(named: name), key.nullCount)
        }
        var distinct: [Int64] = []
        if let (low, high) = key.wholeNumberRange {
            values.withUnsafeBufferPointer { values in
                let (span, overflow) = high.subtractingReportingOverflow(low)
                if !overflow, span < Int64(max(1 << 20, 16 * values.count)) {
                    // Dense ids (the usual case): one bit per possible id, read back in order.
                    var seen = [UInt64](repeating: 0, count: Int(span) / 64 + 1)
                    for row in 0..<values.count where key.nullCount == 0 || !key.isNull(row) {
                        let offset = Int(values[row] &- low)
                        seen[offset >> 6] |= 1 << UInt64(offset & 63)
                    }
                    for (index, word) in seen.enumerated() where word != 0 {
                        var bits = word
                        while bits != 0 {
                            distinct.append(low + Int64(index * 64 + bits.trailingZeroBitCount))
                            bits &= bits - 1
                        }
                    }
                    return
                }
                let numbering = BitsNumbering(expected: 1 << 16)
                var last: Int64?
                for row in 0..<values.count where key.nullCount == 0 || !key.isNull(row) {
                    let value = values[row]
                    if value == last { continue }
                    last = value
                    let before = numbering.count
                    _ = numbering.code(of: UInt64(bitPattern: value))
                    if numbering.count != before { distinct.append(value) }
                }
                distinct.sort()
            }
        }
        return (Column(name: name, values: .integer(ValueBuffer(distinct)),
                       validity: ValidityBitmap(count: distinct.count, allValid: true)), key.nullCount)
    }

    /// The distinct texts of a dictionary key column, in byte order (as the sort of text
    /// keys orders them): the entries some row uses, compared in place with memcmp, so
    /// 5M orders with 1M text keys cost a pass over the codes and a sort of the keys.
    /// The result is a dictionary column over the same heap.
    static func distinctTexts(codes: ValueBuffer<UInt32>, heap: StringHeap, key: Column, named name: String) -> Column {
        var used = [Bool](repeating: false, count: heap.count)
        codes.withUnsafeBufferPointer { codes in
            for row in 0..<codes.count where key.nullCount == 0 || !key.isNull(row) { used[Int(codes[row])] = true }
        }
        var entries = used.indices.filter { used[$0] }
        heap.bytes.withUnsafeBufferPointer { bytes in
            heap.offsets.withUnsafeBufferPointer { offsets in
                let base = bytes.baseAddress
                func precedes(_ a: Int, _ b: Int) -> Bool {
                    let aStart = offsets[a], aLength = offsets[a + 1] - aStart
                    let bStart = offsets[b], bLength = offsets[b + 1] - bStart
                    let common = min(aLength, bLength)
                    let order = common == 0 ? 0 : memcmp(base! + aStart, base! + bStart, common)
                    return order != 0 ? order < 0 : aLength < bLength
                }
                // Exports sorted by customer intern their keys in order already: check first.
                let sorted = entries.indices.dropFirst().allSatisfy { precedes(entries[$0 - 1], entries[$0]) }
                if !sorted { entries.sort(by: precedes) }
            }
        }
        // The keys share the orders' heap: nothing is copied, and relating the two tables
        // needs no matching of texts (KeyMatching.entryIDs).
        let column = StringColumn(storage: .dictionary(codes: ValueBuffer(entries.map { UInt32($0) }), values: heap))
        return Column(name: name, values: .string(column), validity: ValidityBitmap(count: entries.count, allValid: true))
    }

    /// The date part of a timestamp column: each row's own date (at its UTC offset, when it
    /// gave one).
    static func datePart(of column: Column, named name: String) -> Column {
        guard case .timestamp(let micros) = column.values else { return column }
        var days = [Int32](repeating: 0, count: column.count)
        var nulls = [Bool](repeating: false, count: column.count)
        micros.withUnsafeBufferPointer { micros in
            for row in 0..<column.count {
                if column.isNull(row) { nulls[row] = true; continue }
                days[row] = CivilDate.day(ofTimestamp: micros[row], offset: column.offset(at: row))
            }
        }
        return Vector(storage: .date(days), nulls: nulls.contains(true) ? nulls : nil).column(named: name)
    }
}
