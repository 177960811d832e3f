import CustqDiagnostics
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
        guard let rows = customerRows else { return }
        customerRows = nil
        catalog.remove(named: Self.customerRowsName)
        if let people = catalog.tables.first(where: { $0.name.lowercased() == rows.name.lowercased() }),
           people.source.hasPrefix(Self.peopleSource) {
            catalog.update(rows)
        }
    }

    /// The customers regrouped by `columnName`: a row per distinct value (ascending), with
    /// the columns whose value is the same on every row of a person; rows without a value
    /// belong to no one. The loaded rows stay queryable as `customer_rows`.
    func regroupCustomers(by columnName: String) throws(Diagnostic) -> String {
        guard let rows = catalog.tables.first(where: { $0.name.lowercased() == "customers" }),
              let keyIndex = rows.columnIndex(named: columnName) else {
            throw Diagnostic.error("customers has no column '\(columnName)' to name the person")
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
            if index != keyIndex, !Self.isConstant(column, within: grouping, place: place) {
                varying.append(column.name)
                continue
            }
            var kept = Evaluator.keyVector(column).gather(ordered).column(named: column.name)
            kept.unit = column.unit
            kept.reading = column.reading
            kept.description = column.description
            columns.append(kept)
        }
        var people = Table(name: rows.name, columns: columns, rowCount: ordered.count,
                           source: Self.peopleSource + rows.name + "." + key.name)
        people.notes = rows.notes
        if key.name.lowercased() != keyColumn.lowercased() { people.columnRoles[keyColumn.lowercased()] = key.name }
        var loaded = rows
        loaded.name = Self.customerRowsName
        customerRows = rows
        catalog.update(people)
        catalog.add(loaded)
        var line = "customers: \(NumberFormat.grouped(ordered.count)) people by \(key.name), from the "
            + "\(Plural.count(rows.rowCount, "row")) of \(rows.name) (kept as \(Self.customerRowsName))"
        if !varying.isEmpty {
            line += "; " + varying.joined(separator: ", ") + (varying.count == 1 ? " differs" : " differ")
                + " between one person's rows: only in \(Self.customerRowsName)"
        }
        let unkeyed = key.nullCount
        if unkeyed > 0 { line += "; \(Plural.count(unkeyed, "row")) without a \(key.name) belong to no one" }
        return line
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
