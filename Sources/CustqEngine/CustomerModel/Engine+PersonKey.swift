import CustqDiagnostics
import CustqResult
import CustqStore

/// Exports whose customers file is not one row per person: Olist gives every order a
/// customer_id of its own and names the person in `customers.customer_unique_id`.
/// `.orders orders customer_id = customers.customer_unique_id` makes the person the
/// customer: each order's key is looked up through its own customer_id, and the customers
/// table becomes one row per person (its rows as loaded stay as `customer_rows`), so
/// `count`, frequency and the repeat purchase rate count people.
extension Engine {
    static let customerRowsName = "customer_rows"
    static let peopleSource = "people of "

    /// Puts the customers as loaded back in place of their people, before the orders'
    /// roles are prepared again (a customers file loaded since replaces both).
    func restoreCustomerRows() {
        let people = catalog.tables.first { $0.name.lowercased() == "customers" && $0.source.hasPrefix(Self.peopleSource) }
        if let rows = customerRows {
            customerRows = nil
            if catalog.table(named: Self.customerRowsName)?.source == rows.source { catalog.remove(named: Self.customerRowsName) }
            if people != nil { catalog.update(rows) }
        } else if people != nil {
            catalog.remove(named: "customers")
            derivedCustomersKey = nil
        }
    }

    /// The people of `tableName` by `columnName`: a row per distinct value (ascending), with
    /// the columns whose value is the same on every row of a person; rows without a value
    /// belong to no one. The people are the customers table: a loaded `customers` stays
    /// queryable as `customer_rows`, another table (Olist's `olist_customers_dataset`) as itself.
    func regroupCustomers(_ tableName: String, by columnName: String) throws(Diagnostic) -> ModelFinding {
        guard let rows = catalog.tables.first(where: { $0.answers(to: tableName) }),
              let keyIndex = rows.columnIndex(named: columnName) else {
            throw Diagnostic.error("\(tableName) has no column '\(columnName)' to name the person")
        }
        let replacesCustomers = rows.name.lowercased() == "customers"
        if !replacesCustomers, let loaded = catalog.table(named: "customers"), !loaded.source.hasPrefix(Self.derivedSource) {
            throw Diagnostic.error("the people of \(rows.name) would be the customers, but a customers table is loaded",
                                   help: "look the person up in customers, or load \(rows.name) as customers")
        }
        let key = rows.columns[keyIndex]
        let keys = Evaluator.keyVector(key)
        let grouping = Grouping(keys: [.vector(keys)], rows: rows.rowCount)
        let firstRows = grouping.representative.filter { !keys.isNull($0) }
        let ordered = (try? Sorting.order(firstRows, by: [(keys, false)])) ?? firstRows
        // Each group's place among the people (-1: the group of rows without a key).
        var place = [Int](repeating: -1, count: grouping.count)
        for (position, row) in ordered.enumerated() { place[Int(grouping.groupOf[row])] = position }
        var columns: [Column] = []
        var varying: [String] = []
        for (index, column) in rows.columns.enumerated() {
            // The loaded key (one per order's customer) is no person's key, even when no
            // person has two rows: it would be matched before the person's own column.
            let loadedKey = index != keyIndex && column.name.lowercased() == keyColumn.lowercased()
            if loadedKey { continue }
            if index != keyIndex, !Self.isConstant(column, within: grouping, place: place) {
                varying.append(column.name)
                continue
            }
            columns.append(Evaluator.gathered(column, rows: ordered))
        }
        var people = Table(name: "customers", columns: columns, rowCount: ordered.count,
                           source: Self.peopleSource + rows.name + "." + key.name)
        people.notes = rows.notes
        if key.name.lowercased() != keyColumn.lowercased() { people.columnAliases[keyColumn.lowercased()] = key.name }
        if replacesCustomers {
            var loaded = rows
            loaded.name = Self.customerRowsName
            customerRows = rows
            catalog.update(people)
            catalog.add(loaded)
        } else {
            catalog.remove(named: "customers")
            catalog.add(people)
        }
        let kept = replacesCustomers ? Self.customerRowsName : rows.name
        let loadedKey = rows.columns.first { $0.name.lowercased() == keyColumn.lowercased() && $0.name != key.name }
        return .people(.init(count: ordered.count, key: key.name, table: rows.name, rows: rows.rowCount, rowsKeptAs: kept,
                             renamed: replacesCustomers, loadedKey: loadedKey?.name, varying: varying, unkeyed: key.nullCount))
    }

    /// Whether every group's rows hold one value of the column (null counting as a value).
    private static func isConstant(_ column: Column, within grouping: Grouping, place: [Int]) -> Bool {
        let (codes, _) = Grouping.codes(Evaluator.keyVector(column))
        var seen = [Int32](repeating: -1, count: grouping.count)
        for row in 0..<codes.count {
            let group = Int(grouping.groupOf[row])
            guard place[group] >= 0 else { continue }
            if seen[group] < 0 { seen[group] = codes[row] } else if seen[group] != codes[row] { return false }
        }
        return true
    }
}
