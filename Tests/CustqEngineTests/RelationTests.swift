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

    static func relation(here: Column, there: Column, cutoff: (dates: Column, day: Int32)? = nil) throws -> Relation {
        try Relation(here: here, there: there, cutoff: cutoff, stop: .never)
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

    @Test func textKeysOnSeparateHeapsRelateByTheirBytes() throws {
        let here: [String?] = ["C2", "C1", nil, "C9", "c1", ""]
        let there: [String?] = ["C1", "C1", "C2", nil, "C1", "C2", "", "C3"]
        let relation = try Self.relation(here: Self.texts(here), there: Self.texts(there))
        Self.check(relation, here: here, there: there)
        // The same with the orders interned (a dictionary), as the loader makes them.
        let interned = try Self.relation(here: Self.texts(here), there: Self.texts(there, heap: ["C1", "C2", "", "C3"]))
        Self.check(interned, here: here, there: there)
    }

    @Test func customersDerivedFromTheOrdersShareTheirHeap() throws {
        let there: [String?] = ["b", "a", "b", nil, "c", "a"]
        let orders = Self.texts(there, heap: ["b", "a", "c", "unused"])
        let (customers, unkeyed) = Engine.distinctKeys(of: orders, named: "customer_id")
        #expect(unkeyed == 1)
        #expect((0..<customers.count).map { customers.exactText(at: $0) } == ["a", "b", "c"])
        let relation = try Self.relation(here: customers, there: orders)
        Self.check(relation, here: ["a", "b", "c"], there: there)
    }

    @Test func lateRowsRelateToNoOne() throws {
        let there: [String?] = ["x", "y", "x"]
        var days = ValidityBitmap()
        for _ in 0..<3 { days.append(true) }
        let dates = Column(name: "d", values: .date(ValueBuffer([10, 20, 30])), validity: days)
        let relation = try Self.relation(here: Self.texts(["x", "y"]), there: Self.texts(there, heap: ["x", "y"]), cutoff: (dates, 15))
        Self.check(relation, here: ["x", "y"], there: there, late: [1, 2])
    }

    @Test func wholeNumbersNearAndFar() throws {
        let here: [Int64?] = [3, 1, nil, 7]
        let there: [Int64?] = [1, 3, 3, nil, 1, 8]
        Self.check(try Self.relation(here: Self.integers(here), there: Self.integers(there)), here: here, there: there)
        // Far apart: the hashed path.
        let far: [Int64?] = [1, 1 << 40, nil, -5]
        let farThere: [Int64?] = [1 << 40, -5, 1, 1 << 40]
        Self.check(try Self.relation(here: Self.integers(far), there: Self.integers(farThere)), here: far, there: farThere)
    }

    /// Asks to stop at its second question: a kernel that asks every 65,536 rows is stopped
    /// inside its loop, not before it starts.
    final class SecondAsk: @unchecked Sendable {
        var asked = 0
        var check: StopCheck { StopCheck { [self] in asked += 1; return asked > 1 } }
    }

    static let rows = 300_000

    @Test func groupingStopsInsideItsLoopsWhenAsked() throws {
        let spread = Vector(storage: .integer((0..<Self.rows).map { Int64($0) * 1_000_003 }), nulls: nil)
        let dense = Vector(storage: .integer((0..<Self.rows).map { Int64($0 % 1000) }), nulls: nil)
        let texts = Vector(storage: .string(StringValues(strings: (0..<Self.rows).map { "c\($0 % 5000)" })), nulls: nil)
        for key in [spread, dense, texts] {
            let asks = SecondAsk()
            #expect(throws: EvaluationError.interrupted) { try Grouping(keys: [.vector(key)], rows: Self.rows, stop: asks.check) }
            #expect(asks.asked == 2)
            // Asked and told to go on, the groups are those made without asking.
            let kept = try Grouping(keys: [.vector(key)], rows: Self.rows, stop: StopCheck { false })
            let plain = Grouping(keys: [.vector(key)], rows: Self.rows)
            #expect(kept.groupOf == plain.groupOf && kept.representative == plain.representative)
        }
        // Two keys whose combined codes are too many for an array: the hashed path.
        let asks = SecondAsk()
        #expect(throws: EvaluationError.interrupted) {
            try Grouping(keys: [.vector(spread), .vector(spread)], rows: Self.rows, stop: asks.check)
        }
    }

    @Test func relationsStopInsideTheirLoopsWhenAskedAndAreNotKept() throws {
        let ids = (0..<Self.rows).map { Int64($0 % 50_000) }
        let cases: [(Column, Column)] = [
            (Self.integers((0..<50_000).map { Int64($0) }), Self.integers(ids)),                       // dense ids
            (Self.integers((0..<50_000).map { Int64($0) << 40 }), Self.integers(ids.map { $0 << 40 })), // hashed
            (Self.texts((0..<50_000).map { "c\($0)" }), Self.texts(ids.map { "c\($0)" })),              // text
        ]
        for (here, there) in cases {
            let cache = RelationCache(), asks = SecondAsk()
            #expect(throws: EvaluationError.interrupted) { try cache.relation(from: here, to: there, stop: asks.check) }
            #expect(asks.asked == 2)
            // Nothing half-built was kept: the next query builds the whole relation.
            let built = try cache.relation(from: here, to: there, stop: StopCheck { false })
            #expect(built.grouping.count == 50_000)
            #expect(built.groupOfRow.allSatisfy { $0 >= 0 })
        }
    }

    @Test func theCacheReusesARelationWhileBothKeysAreTheSameColumns() throws {
        let here = Self.integers([1, 2, 3]), there = Self.integers([3, 1, 1, 2])
        let cache = RelationCache()
        let first = try cache.relation(from: here, to: there, stop: .never)
        #expect(try cache.relation(from: here, to: there, stop: .never) === first)
        // A reloaded table has new columns, even with the same values: built again.
        #expect(try cache.relation(from: Self.integers([1, 2, 3]), to: there, stop: .never) !== first)
        #expect(try cache.relation(from: here, to: Self.integers([3, 1, 1, 2]), stop: .never) !== first)
        // The other direction is another relation.
        #expect(try cache.relation(from: there, to: here, stop: .never) !== first)
        // Each cut-off day is its own relation: orders after it relate to no one.
        var valid = ValidityBitmap()
        for _ in 0..<4 { valid.append(true) }
        let dates = Column(name: "d", values: .date(ValueBuffer([10, 20, 30, 40])), validity: valid)
        let cut = try cache.relation(from: here, to: there, cutoff: (dates, 25), stop: .never)
        #expect(cut !== first)
        #expect(try cache.relation(from: here, to: there, cutoff: (dates, 25), stop: .never) === cut)
        #expect(try cache.relation(from: here, to: there, cutoff: (dates, 35), stop: .never) !== cut)
        // there's rows 0 (key 3) and 1 (key 1) are in time, numbered in that order.
        #expect(cut.groupOfRow == [1, -1, 0])
        // Another date column with the same day is another cut-off.
        let shipped = Column(name: "d", values: .date(ValueBuffer([10, 20, 30, 40])), validity: valid)
        #expect(try cache.relation(from: here, to: there, cutoff: (shipped, 25), stop: .never) !== cut)
    }

    @Test func uniquenessIsWorkedOutOncePerColumn() {
        let cache = RelationCache()
        // Each column is let go of after its question: a new one may be made at the same
        // address, and must not be taken for the old one.
        #expect(cache.isUnique(Self.integers([1, 2, 3, nil, nil])))
        #expect(!cache.isUnique(Self.integers([1, 2, 1])))
        #expect(cache.isUnique(Self.texts(["a", "b", nil], heap: ["a", "b"])))
        #expect(!cache.isUnique(Self.texts(["a", "b", "a"], heap: ["a", "b"])))
        #expect(!cache.isUnique(Self.texts(["a", "A", "a"])))
    }

    @Test func columnsNoTableHoldsAreLetGo() throws {
        let customers = Table(name: "customers", columns: [Self.integers([1, 2])], rowCount: 2)
        let orders = Table(name: "orders", columns: [Self.integers([2, 2, 1])], rowCount: 3)
        let cache = RelationCache()
        let kept = try cache.relation(from: customers.columns[0], to: orders.columns[0], stop: .never)
        _ = try cache.relation(from: customers.columns[0], to: Self.integers([1]), stop: .never)
        #expect(cache.count == 2)
        cache.keep(onlyColumnsOf: [customers, orders])
        #expect(cache.count == 1)
        #expect(try cache.relation(from: customers.columns[0], to: orders.columns[0], stop: .never) === kept)
        cache.keep(onlyColumnsOf: [customers])
        #expect(cache.count == 0)
    }
}
