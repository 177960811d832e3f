import CustqLanguage
import CustqResult
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The orders' customer keys: how they match the customers', and the customers derived
/// from them when no customers table is loaded.
extension Engine {
    /// What loading the orders should say about their keys: how they relate to the
    /// customers' when the kinds differ, and how many orders match no customer.
    func keyReport(orders: Table) -> [ModelFinding] {
        guard let customers = catalog.table(named: "customers"), !customers.source.hasPrefix(Self.derivedSource),
              let here = customers.column(named: keyColumn), let there = orders.column(named: keyColumn) else { return [] }
        var findings: [ModelFinding] = []
        if customers.rowsElsewhere != nil || orders.rowsElsewhere != nil {
            // Rows on a database: counted there when both tables are on it, else not related here.
            guard let source = orders.rowsElsewhere, customers.rowsElsewhere === source, here.type == there.type else { return [] }
            let q = Self.dialect(of: source).quote
            let sql = "SELECT count(o.k), count(CASE WHEN c.k IS NULL THEN 1 END) FROM (SELECT \(q(there.name)) AS k FROM \(q(orders.name))) o "
                + "LEFT JOIN (SELECT DISTINCT \(q(here.name)) AS k FROM \(q(customers.name))) c ON o.k = c.k WHERE o.k IS NOT NULL"
            guard let counts = try? facts(sql, of: orders), counts.count == 2, let keyed = counts[0].flatMap({ Int($0) }),
                  let unmatched = counts[1].flatMap({ Int($0) }), unmatched > 0 else { return [] }
            return [.ordersWithoutCustomer(count: unmatched, keyed: keyed, key: there.name)]
        }
        if here.type != there.type {
            let kinds = ModelFinding.KeyKinds(customers: customers.name, customerKey: here.name, customerKeyType: here.type.displayName,
                                              orders: orders.name, orderKey: there.name, orderKeyType: there.type.displayName)
            findings.append(.keyKinds(kinds, relatedByValue: KeyMatching.relatesByValue(here.type, there.type)))
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
        if unmatched > 0 { findings.append(.ordersWithoutCustomer(count: unmatched, keyed: keyed, key: there.name)) }
        if customersPerGroup.contains(where: { $0 > 1 }) { findings.append(.customersShareKeys(customerKey: here.name)) }
        return findings
    }

    /// With orders but no customers table: a customers table of the orders' distinct keys
    /// (ascending), so customer metrics (rfm, abc, lifecycle, top by monetary) have rows.
    func deriveCustomers(from orders: Table) -> ModelFinding? {
        if let customers = catalog.table(named: "customers"), !customers.source.hasPrefix(Self.derivedSource) { return nil }
        guard let keyIndex = orders.columnIndex(named: keyColumn) else { return nil }
        let source = Self.derivedSource + orders.name + "." + orders.columns[keyIndex].name
        let key = RelationCache.storage(orders.columns[keyIndex])
        if catalog.table(named: "customers") != nil, derivedCustomersKey === key { return nil }
        derivedCustomersKey = key
        var (column, unkeyed) = Self.distinctKeys(of: orders.columns[keyIndex], named: keyColumn)
        var customers = Table(name: "customers", columns: [column], rowCount: column.count, source: source)
        var count = column.count
        if let rows = orders.rowsElsewhere {
            // The orders are on a database: so are the customers made of them (the SQL
            // writer reads them as the orders' distinct keys), counted there.
            column.declaredUnique = true
            customers = Table(name: "customers", columns: [column], rowCount: 0, source: source)
            customers.rowsElsewhere = rows
            let key = Self.dialect(of: rows).quote(orders.columns[keyIndex].name)
            if let counts = try? facts("SELECT count(DISTINCT \(key)), count(*) - count(\(key)) FROM \(Self.dialect(of: rows).quote(orders.name))",
                                       of: orders), counts.count == 2 {
                count = counts[0].flatMap { Int($0) } ?? 0
                unkeyed = counts[1].flatMap { Int($0) } ?? 0
            }
        }
        catalog.add(customers)
        // A table of customers under another name: say how to make it the customers.
        let other = catalog.tables.first(where: { $0.name != orders.name && !$0.source.hasPrefix(Self.derivedSource)
            && !$0.answers(to: Self.ordersTableName) && $0.columnIndex(named: keyColumn) != nil && !$0.source.isEmpty })
        return .customersDerived(.init(count: count, key: orders.columns[keyIndex].name, orders: orders.name,
                                       lookalike: other.map { ($0.name, $0.source) }, unkeyed: unkeyed))
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
