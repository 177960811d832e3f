import Testing
import CustqStore
@testable import CustqEngine

/// Relations between a queried table's key and a related table's key, on every path
/// (whole numbers in a narrow range, other numbers, text on separate heaps, text on one
/// shared heap): each related row's group must hold exactly the rows with its key, and
/// each queried row must find the group of its key, or none — checked against a plain
/// comparison of the keys' values.
@Suite struct RelationTests {
    /// A text column: dictionary codes over `heap` when given, else plain.
    static func texts(_ values: [String?], heap: [String]? = nil) -> Column {
        var validity = ValidityBitmap()
        for value in values { validity.append(value != nil) }
        if let heap {
            let codes = values.map { UInt32(heap.firstIndex(of: $0 ?? heap[0])!) }
            return Column(name: "k", values: .string(StringColumn(storage: .dictionary(codes: ValueBuffer(codes), values: StringHeap(heap)))),
                          validity: validity)
        }
        return Column(name: "k", values: .string(StringColumn(storage: .plain(values: StringHeap(values.map { $0 ?? "" })))),
                      validity: validity)
    }

    static func integers(_ values: [Int64?]) -> Column {
        var validity = ValidityBitmap()
        for value in values { validity.append(value != nil) }
        return Column(name: "k", values: .integer(ValueBuffer(values.map { $0 ?? 0 })), validity: validity)
    }

    /// Checks the relation against the values: `here[i]` relates to the rows of `there` with the same value.
    static func check<T: Equatable>(_ relation: Relation, here: [T?], there: [T?], late: Set<Int> = []) {
        for (row, key) in here.enumerated() {
            let related = there.indices.filter { key != nil && there[$0] == key && !late.contains($0) }
            let group = relation.groupOfRow[row]
            if related.isEmpty {
                #expect(group == -1, "row \(row) (\(String(describing: key))) should relate to no one")
            } else {
                let members = there.indices.filter { relation.grouping.groupOf[$0] == Int32(group) }
                #expect(members == related, "row \(row) (\(String(describing: key))): group \(members), wanted \(related)")
            }
        }
    }

    @Test func textKeysOnSeparateHeapsRelateByTheirBytes() {
        let here: [String?] = ["C2", "C1", nil, "C9", "c1", ""]
        let there: [String?] = ["C1", "C1", "C2", nil, "C1", "C2", "", "C3"]
        let relation = Relation(here: Self.texts(here), there: Self.texts(there))
        Self.check(relation, here: here, there: there)
        // The same with the orders interned (a dictionary), as the loader makes them.
        let interned = Relation(here: Self.texts(here), there: Self.texts(there, heap: ["C1", "C2", "", "C3"]))
        Self.check(interned, here: here, there: there)
    }

    @Test func customersDerivedFromTheOrdersShareTheirHeap() {
        let there: [String?] = ["b", "a", "b", nil, "c", "a"]
        let orders = Self.texts(there, heap: ["b", "a", "c", "unused"])
        let (customers, unkeyed) = Engine.distinctKeys(of: orders, named: "customer_id")
        #expect(unkeyed == 1)
        #expect((0..<customers.count).map { customers.exactText(at: $0) } == ["a", "b", "c"])
        let relation = Relation(here: customers, there: orders)
        Self.check(relation, here: ["a", "b", "c"], there: there)
    }

    @Test func lateRowsRelateToNoOne() {
        let there: [String?] = ["x", "y", "x"]
        var days = ValidityBitmap()
        for _ in 0..<3 { days.append(true) }
        let dates = Column(name: "d", values: .date(ValueBuffer([10, 20, 30])), validity: days)
        let relation = Relation(here: Self.texts(["x", "y"]), there: Self.texts(there, heap: ["x", "y"]), cutoff: (dates, 15))
        Self.check(relation, here: ["x", "y"], there: there, late: [1, 2])
    }

    @Test func wholeNumbersNearAndFar() {
        let here: [Int64?] = [3, 1, nil, 7]
        let there: [Int64?] = [1, 3, 3, nil, 1, 8]
        Self.check(Relation(here: Self.integers(here), there: Self.integers(there)), here: here, there: there)
        // Far apart: the hashed path.
        let far: [Int64?] = [1, 1 << 40, nil, -5]
        let farThere: [Int64?] = [1 << 40, -5, 1, 1 << 40]
        Self.check(Relation(here: Self.integers(far), there: Self.integers(farThere)), here: far, there: farThere)
    }
}
