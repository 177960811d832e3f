import CustqResult
import CustqStore

/// What a row of the orders table is, and what counts as a purchase (DESIGN.md, "Orders
/// alone are enough"). Exports come at two grains: one row per order (`orders.csv`) and
/// one row per order *line* (Online Retail, Shopify), where an order id repeats. The metric
/// library reads three columns this model adds to the orders table:
///
/// - `amount`, when the export has none but a quantity and a unit price: quantity × price
///   (a price alone is never the amount when there is a quantity);
/// - `purchase_id`: the order a row belongs to when it is a purchase (the order id, or the
///   row's number when there is none), null for a cancelled order (Online Retail's
///   `C536458`) and for a return line (negative quantity or amount);
/// - `purchase_date`: the order date of purchases, null elsewhere.
///
/// When every row is a purchase the last two are only other names of the order id and date.
///
/// So `frequency` counts distinct purchases, not lines; `monetary` sums every line's amount,
/// cancellations and returns netting off; recency, lifecycle and cohorts see purchases only.
struct OrderLines {
    /// The columns the model added, as they are recomputed whenever the orders are prepared.
    static let computedNames: Set<String> = ["purchase_id", "purchase_date"]

    let orderID: Int?
    let quantity: Int?
    let price: Int?
    let amount: Int?
    let date: Int
    /// Whether `amount` is quantity × price, computed here.
    let computesAmount: Bool
    /// The order fields read for all lines of their order (`spreadingOrderFields`), to say.
    let spreadFields: [String]

    /// What the model reads of the orders' rows, counted where they are: here, or on the
    /// database that holds them (`factsSQL`).
    struct Facts: Equatable {
        var rows = 0
        /// Rows with an order id, and how many different ids they have.
        var ids = 0
        var distinctIDs = 0
        /// Rows of cancelled orders and how many orders; return lines (negative quantity or
        /// amount) of orders not cancelled.
        var cancelledRows = 0
        var cancelledOrders = 0
        var returnLines = 0
    }

    /// The table with the model's columns (or, when every row is a purchase, `purchase_id`
    /// and `purchase_date` as other names of the order id and date), and what to tell the user.
    /// `facts`: the counts made on the database when the rows are there.
    func apply(to orders: Table, facts: Facts? = nil) -> (Table, [OrdersReading]) {
        var table = orders
        var lines: [OrdersReading] = []
        let rows = orders.rowCount
        var amountColumn = amount.map { orders.columns[$0] }
        if computesAmount, let quantity, let price {
            let computed = Self.product(orders.columns[quantity], orders.columns[price], named: Engine.amountColumn)
            table = table.adding(computed)
            table.addedColumns.insert(Engine.amountColumn)
            amountColumn = computed
            lines.append(.amountIsProduct(quantity: orders.columns[quantity].name, price: orders.columns[price].name))
        }
        // Which rows are purchases: not a cancelled order's, not a return.
        let idColumn = orderID.map { orders.columns[$0] }
        let found = idColumn.map { Self.cancellations($0, rows: rows) } ?? (rows: [Bool](repeating: false, count: rows), orders: 0)
        var cancelled = found.rows
        var counted = Facts(rows: rows, cancelledRows: found.rows.filter { $0 }.count, cancelledOrders: found.orders)
        for source in [quantity.map { orders.columns[$0] }, amountColumn].compactMap({ $0 }) {
            for row in Self.negativeRows(source) where !cancelled[row] {
                cancelled[row] = true
                counted.returnLines += 1
            }
        }
        if let idColumn {
            counted.ids = rows - idColumn.nullCount
            counted.distinctIDs = Self.distinctCount(idColumn)
        }
        let facts = facts ?? counted
        // Whether rows are lines of orders: an order id that repeats.
        let isLines = idColumn != nil && facts.distinctIDs < facts.ids
        if facts.cancelledRows == 0 && facts.returnLines == 0 {
            // Every row is a purchase: the names point at the columns themselves. With one row
            // per order there is no purchase_id to count distinct: frequency counts rows.
            table.columnAliases["purchase_date"] = orders.columns[date].name
            if let idColumn, isLines { table.columnAliases["purchase_id"] = idColumn.name }
        } else {
            for column in purchaseColumns(orders, id: idColumn, cancelled: cancelled)
                where orders.columnIndex(named: column.name) == nil {
                table = table.adding(column)
                table.addedColumns.insert(column.name)
            }
        }
        tell(&lines, rows: facts.rows, id: idColumn, orders: isLines ? facts.distinctIDs : nil,
             amount: orders.rowsElsewhere == nil ? amountColumn : nil,
             cancelledOrders: facts.cancelledOrders, returnLines: facts.returnLines)
        return (table, lines)
    }

    /// The SQL that counts `Facts` where the orders are (one scan), or nil when the rows are
    /// here. A declared unique order id is not counted again.
    func factsSQL(_ orders: Table, dialect: SQLDialect) -> String? {
        guard orders.rowsElsewhere != nil else { return nil }
        let q = dialect.quote
        let (cancelledRow, negative) = rowRules(orders, dialect: dialect)
        var columns = ["count(*)"]
        if let orderID {
            let id = orders.columns[orderID]
            columns.append("count(\(q(id.name)))")
            columns.append(id.declaredUnique == true ? "count(\(q(id.name)))" : "count(DISTINCT \(q(id.name)))")
        } else {
            columns += ["0", "0"]
        }
        columns.append("count(CASE WHEN \(cancelledRow) THEN 1 END)")
        columns.append(orderID.map { "count(DISTINCT CASE WHEN \(cancelledRow) THEN \(q(orders.columns[$0].name)) END)" } ?? "0")
        columns.append("count(CASE WHEN (\(negative)) AND NOT \(cancelledRow) THEN 1 END)")
        return "SELECT " + columns.joined(separator: ", ") + " FROM " + q(orders.name)
    }

    /// The model's rules for a row in SQL: whether it is a cancelled order's (never null),
    /// and whether it is a return line (a negative quantity or amount, computed or read).
    func rowRules(_ orders: Table, dialect: SQLDialect) -> (cancelled: String, negative: String) {
        let q = dialect.quote
        var negatives: [String] = []
        if let quantity { negatives.append("\(q(orders.columns[quantity].name)) < 0") }
        if computesAmount, let quantity, let price {
            // In doubles, as custq multiplies (whole numbers would overflow on the server).
            negatives.append("\(dialect.double(q(orders.columns[quantity].name))) * \(dialect.double(q(orders.columns[price].name))) < 0")
        } else if let amount, orders.columns[amount].type == .integer || orders.columns[amount].type == .decimal {
            negatives.append("\(q(orders.columns[amount].name)) < 0")
        }
        var cancelledRow = "FALSE"
        if let orderID, orders.columns[orderID].type == .string {
            // Online Retail's cancellations: C and digits (C536458).
            let name = q(orders.columns[orderID].name)
            cancelledRow = "coalesce(length(\(name)) > 1 AND upper(substr(\(name), 1, 1)) = 'C' AND "
                + "\(dialect.allDigits("substr(\(name), 2)")), FALSE)"
        }
        return (cancelledRow, negatives.isEmpty ? "FALSE" : negatives.joined(separator: " OR "))
    }

    /// The SQL of the columns this model adds to `orders`, by name, as custq computes them:
    /// `purchase_id` and `purchase_date` null where the row is no purchase, `amount` as
    /// quantity × price. A purchase id made of row numbers (no order id) has no SQL.
    func computedSQL(_ orders: Table, dialect: SQLDialect) -> [String: String] {
        let q = dialect.quote
        var computed: [String: String] = [:]
        if computesAmount, let quantity, let price {
            computed[Engine.amountColumn] = "(\(dialect.double(q(orders.columns[quantity].name))) * "
                + "\(dialect.double(q(orders.columns[price].name))))"
        }
        let (cancelled, negative) = rowRules(orders, dialect: dialect)
        let excluded = "\(cancelled) OR coalesce(\(negative), FALSE)"
        if let orderID { computed["purchase_id"] = "CASE WHEN \(excluded) THEN NULL ELSE \(q(orders.columns[orderID].name)) END" }
        computed["purchase_date"] = "CASE WHEN \(excluded) THEN NULL ELSE \(q(orders.columns[date].name)) END"
        return computed
    }

    /// The rows of cancelled orders (an id of `C` and digits, Online Retail's C536458),
    /// judged once per distinct id of a dictionary column, once per row of a plain one; and
    /// how many orders.
    static func cancellations(_ idColumn: Column, rows: Int) -> (rows: [Bool], orders: Int) {
        var cancelled = [Bool](repeating: false, count: rows)
        var cancelledOrders = 0
        guard case .string(let ids) = idColumn.values else { return (cancelled, 0) }
        func isCancellation(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.count > 1 && (bytes[0] == UInt8(ascii: "C") || bytes[0] == UInt8(ascii: "c"))
                && bytes.dropFirst().allSatisfy { $0 &- 48 < 10 }
        }
        switch ids.storage {
        case .dictionary(let codes, let heap):
            let marked = (0..<heap.count).map { heap.withBytes(at: $0, isCancellation) }
            var counted = [Bool](repeating: false, count: heap.count)
            codes.withUnsafeBufferPointer { codes in
                for row in 0..<rows where marked[Int(codes[row])] && !idColumn.isNull(row) {
                    cancelled[row] = true
                    if !counted[Int(codes[row])] {
                        counted[Int(codes[row])] = true
                        cancelledOrders += 1
                    }
                }
            }
        case .plain(let heap):
            var seen = Set<[UInt8]>()
            for row in 0..<rows where !idColumn.isNull(row) {
                heap.withBytes(at: row) { bytes in
                    guard isCancellation(bytes) else { return }
                    cancelled[row] = true
                    if seen.insert(Array(bytes)).inserted { cancelledOrders += 1 }
                }
            }
        }
        return (cancelled, cancelledOrders)
    }

    /// purchase_id (the order id, or the row's own number) and purchase_date, null where
    /// the row is no purchase.
    func purchaseColumns(_ orders: Table, id idColumn: Column?, cancelled: [Bool]) -> [Column] {
        let rows = orders.rowCount
        // purchase_id: the order id, or the row's own number; null where no purchase.
        var purchaseID = idColumn ?? Column(name: "", values: .integer(ValueBuffer((0..<rows).map { Int64($0 + 1) })),
                                            validity: ValidityBitmap(count: rows, allValid: true))
        purchaseID.name = "purchase_id"
        purchaseID.unit = .code
        purchaseID.reading = nil
        var purchaseDate = orders.columns[date]
        purchaseDate.name = "purchase_date"
        purchaseDate.reading = nil
        var validity = ValidityBitmap(), dates = ValidityBitmap()
        validity.reserveCapacity(rows)
        dates.reserveCapacity(rows)
        for row in 0..<rows {
            validity.append(!cancelled[row] && !purchaseID.isNull(row))
            dates.append(!cancelled[row] && !purchaseDate.isNull(row))
        }
        purchaseID.validity = validity
        purchaseDate.validity = dates
        return [purchaseID, purchaseDate]
    }

    /// What to tell the user of the orders' lines (first of all), spread fields,
    /// cancellations and returns.
    func tell(_ lines: inout [OrdersReading], rows: Int, id idColumn: Column?, orders orderCount: Int?, amount amountColumn: Column?,
              cancelledOrders: Int, returnLines: Int) {
        if !spreadFields.isEmpty { lines.append(.spreadFields(spreadFields)) }
        if let idColumn, let orderCount {
            // Shopify gives order fields (Total, Financial Status) on an order's first line only.
            var oncePerOrder: String?
            if let amountColumn, !computesAmount, Self.atMostOnePerOrder(amountColumn, ids: idColumn) { oncePerOrder = amountColumn.name }
            lines.insert(.lines(rows: rows, orders: orderCount, id: idColumn.name, amountOncePerOrder: oncePerOrder), at: 0)
        }
        if cancelledOrders > 0 || returnLines > 0 {
            lines.append(.cancellations(orders: cancelledOrders, id: idColumn?.name, returnLines: returnLines))
        }
    }

    /// What `.schema` says of a column spread from orders' first lines.
    static let firstLineReading = "given on each order's first line: read for all of its lines"

    /// Order fields that an export gives on each order's first line only (Shopify's Email,
    /// Financial Status, Paid at): text, date and yes/no columns whose later lines are empty
    /// or repeat the first line's value, spread to every line of their order, so that a
    /// condition on them (``where `Financial Status` = paid``) keeps whole orders. Numbers
    /// are left as given: summed per order they are already right (Total). Done once per
    /// preparation, before any `.orders … where`; returns the table and the columns spread.
    static func spreadingOrderFields(of table: Table) -> (Table, [String]) {
        guard let idIndex = OrderRoles.lineRoles(in: table)["order_id"] else { return (table, []) }
        let ids = table.columns[idIndex]
        let candidates = table.columns.indices.filter { index in
            let column = table.columns[index]
            guard index != idIndex, column.type != .integer, column.type != .decimal,
                  // Shopify's own fields of a line (Lineitem sku, Lineitem name) are never the order's.
                  !OrderRoles.normalized(column.name).hasPrefix("lineitem") else { return false }
            return column.nullCount > 0 || column.reading?.contains(firstLineReading) == true
        }
        guard !candidates.isEmpty else { return (table, []) }
        // Spread already (the orders prepared again): said again, not redone.
        let done = candidates.filter { table.columns[$0].reading?.contains(firstLineReading) == true }
        let open = candidates.filter { !done.contains($0) }
        var result = table
        var names = done.map { table.columns[$0].name }
        guard !open.isEmpty else { return (result, names) }
        let keys = Evaluator.keyVector(ids)
        let grouping = Grouping(keys: [.vector(keys)], rows: table.rowCount)
        let groupOf = grouping.groupOf, firstRow = grouping.representative
        for index in open {
            let column = table.columns[index]
            // Spread when some later line lacks the first line's value and none says another.
            let (codes, _) = Grouping.codes(Evaluator.keyVector(column))
            var spreads = false
            var agrees = true
            for row in 0..<table.rowCount where !keys.isNull(row) {
                let first = firstRow[Int(groupOf[row])]
                guard row != first else { continue }
                if column.isNull(row) {
                    if !column.isNull(first) { spreads = true }
                } else if codes[row] != codes[first] {
                    agrees = false
                    break
                }
            }
            guard agrees, spreads else { continue }
            let picks = (0..<table.rowCount).map { row in
                keys.isNull(row) || !column.isNull(row) ? row : firstRow[Int(groupOf[row])]
            }
            var spread = Evaluator.gathered(column, rows: picks)
            spread.reading = (column.reading.map { $0 + "; " } ?? "") + firstLineReading
            result = result.replacing(column: index, with: spread)
            names.append(column.name)
        }
        let order = table.columnNames
        return (result, names.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
    }

    /// Row-by-row quantity × price as a decimal column.
    static func product(_ quantity: Column, _ price: Column, named name: String) -> Column {
        let q = numbers(quantity), p = numbers(price)
        var values = [Double](repeating: 0, count: quantity.count)
        var validity = ValidityBitmap()
        validity.reserveCapacity(quantity.count)
        for row in 0..<quantity.count {
            let known = !quantity.isNull(row) && !price.isNull(row)
            validity.append(known)
            if known { values[row] = q[row] * p[row] }
        }
        var column = Column(name: name, values: .decimal(ValueBuffer(values)), validity: validity)
        column.unit = price.unit
        return column
    }

    static func numbers(_ column: Column) -> [Double] {
        switch column.values {
        case .integer(let values): (0..<column.count).map { Double(values[$0]) }
        case .decimal(let values): (0..<column.count).map { values[$0] }
        default: [Double](repeating: 0, count: column.count)
        }
    }

    /// Whether each order has at most one line with a value in `column`.
    static func atMostOnePerOrder(_ column: Column, ids: Column) -> Bool {
        let keys = Evaluator.keyVector(ids)
        let bits = Evaluator.keyBits(keys)
        let numbering = BitsNumbering(expected: max(1 << 12, ids.count / 4))
        var seen: [Bool] = []
        for row in 0..<ids.count where !keys.isNull(row) && !column.isNull(row) {
            let code = Int(numbering.code(of: bits[row]))
            if code >= seen.count { seen += [Bool](repeating: false, count: code - seen.count + 1) }
            if seen[code] { return false }
            seen[code] = true
        }
        return true
    }

    /// The rows with a negative number (read in place: a 5M-row amount is not copied).
    static func negativeRows(_ column: Column) -> [Int] {
        var rows: [Int] = []
        switch column.values {
        case .integer(let values):
            values.withUnsafeBufferPointer { values in
                for row in 0..<values.count where values[row] < 0 && !column.isNull(row) { rows.append(row) }
            }
        case .decimal(let values):
            values.withUnsafeBufferPointer { values in
                for row in 0..<values.count where values[row] < 0 && !column.isNull(row) { rows.append(row) }
            }
        default:
            break
        }
        return rows
    }

    static func distinctCount(_ column: Column) -> Int {
        // Ids in order (one row per order, or an order's lines together and orders in
        // increasing order, as exports write them): count where the id changes.
        if case .integer(let values) = column.values, column.nullCount == 0 {
            let changes = values.withUnsafeBufferPointer { values -> Int? in
                guard !values.isEmpty else { return 0 }
                var changes = 1
                for row in 1..<values.count {
                    if values[row] < values[row - 1] { return nil }
                    if values[row] != values[row - 1] { changes += 1 }
                }
                return changes
            }
            if let changes { return changes }
        }
        let keys = Evaluator.keyVector(column)
        let bits = Evaluator.keyBits(keys)
        let numbering = BitsNumbering(expected: max(1 << 12, column.count / 4))
        for row in 0..<column.count where !keys.isNull(row) { _ = numbering.code(of: bits[row]) }
        return numbering.count
    }
}
