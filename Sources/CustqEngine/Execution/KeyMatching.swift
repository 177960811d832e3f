import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the key columns of two related tables are compared when they hold different kinds
/// of value (customers keyed `001` as text, orders keyed `1` as whole numbers, or ids read
/// as decimals, `17850.0`): by value. A text key relates to a whole-number key when it is
/// digits alone (leading zeros allowed: `001` is 1); a decimal key when it is whole. Keys
/// of any other kind relate to nothing, and loading the orders says how many match no
/// customer.
enum KeyMatching {
    /// The two columns' keys as vectors of one kind.
    static func comparable(_ a: Column, _ b: Column) -> (Vector, Vector) {
        let first = Evaluator.keyVector(a), second = Evaluator.keyVector(b)
        guard a.type != b.type else { return (first, second) }
        let numbers: Set<ColumnType> = [.integer, .decimal, .string]
        guard numbers.contains(a.type), numbers.contains(b.type), a.type == .integer || b.type == .integer else {
            return (first, second)
        }
        return (wholeNumbers(first), wholeNumbers(second))
    }

    /// Whether the two columns relate by value although their kinds differ.
    static func relatesByValue(_ a: ColumnType, _ b: ColumnType) -> Bool {
        a != b && (a == .integer || b == .integer) && [a, b].allSatisfy { [.integer, .decimal, .string].contains($0) }
    }

    /// Keys as whole numbers: text of digits alone, whole decimals; anything else null.
    static func wholeNumbers(_ keys: Vector) -> Vector {
        switch keys.storage {
        case .integer:
            return keys
        case .decimal(let values):
            var nulls = keys.nulls ?? [Bool](repeating: false, count: values.count)
            let numbers = values.enumerated().map { row, value -> Int64 in
                guard let whole = Int64(exactly: value) else { nulls[row] = true; return 0 }
                return whole
            }
            return Vector(storage: .integer(numbers), nulls: nulls)
        case .string(let strings):
            var nulls = keys.nulls ?? [Bool](repeating: false, count: strings.indexes.count)
            // Each distinct text is read once.
            var valueOf: [Int32: Int64?] = [:]
            let numbers = strings.indexes.enumerated().map { row, index -> Int64 in
                if nulls[row] { return 0 }
                let value: Int64?
                if let known = valueOf[index] {
                    value = known
                } else {
                    value = digitsValue(strings.heap.string(at: Int(index)))
                    if strings.unique { valueOf[index] = value }
                }
                guard let value else { nulls[row] = true; return 0 }
                return value
            }
            return Vector(storage: .integer(numbers), nulls: nulls)
        default:
            return keys
        }
    }

    /// `001` → 1; nil unless the text is ASCII digits alone that fit 64 bits.
    static func digitsValue(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var value: Int64 = 0
        for byte in text.utf8 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }

    /// Keys of both sides as 64-bit patterns that are equal exactly when the keys are: for
    /// text, the number of the first entry of the other side's heap with the same bytes,
    /// found by hashing and confirmed byte by byte (a hash alone could make two customers
    /// one); other kinds by their bits.
    static func exactBits(_ here: Vector, _ there: Vector) -> (here: [UInt64], there: [UInt64]) {
        guard case .string(let a) = there.storage, case .string(let b) = here.storage else {
            return (Evaluator.keyBits(here), Evaluator.keyBits(there))
        }
        let (hereIDs, thereIDs) = entryIDs(here: b, there: a)
        return (b.indexes.map { hereIDs[Int($0)] }, a.indexes.map { thereIDs[Int($0)] })
    }

    /// For each heap entry of both sides, the number of the first entry of `there`'s heap
    /// with the same bytes; an entry of `here` whose text `there` lacks gets a number above
    /// every entry of `there` (UInt64.max − entry).
    static func entryIDs(here b: StringValues, there a: StringValues) -> (here: [UInt64], there: [UInt64]) {
        if a.unique, b.unique, a.heap.bytes === b.heap.bytes, a.heap.offsets === b.heap.offsets {
            // One heap of distinct texts (customers derived from the orders): entries are the ids.
            let ids = (0..<a.heap.count).map { UInt64($0) }
            return (ids, ids)
        }
        return a.heap.bytes.withUnsafeBufferPointer { aBytes in
            a.heap.offsets.withUnsafeBufferPointer { aOffsets in
                b.heap.bytes.withUnsafeBufferPointer { bBytes in
                    b.heap.offsets.withUnsafeBufferPointer { bOffsets in
                        let count = a.heap.count
                        var size = 1024
                        while size < count * 2 { size *= 2 }
                        let mask = size - 1
                        var aIDs = [UInt64](repeating: 0, count: count)
                        var bIDs = [UInt64](repeating: 0, count: b.heap.count)
                        // Buffers, not arrays, inside the loops: a nested function capturing an
                        // array it changes would reach it through a box at every probe.
                        let slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: size)
                        let hashes = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, count))
                        defer {
                            slots.deallocate()
                            hashes.deallocate()
                        }
                        slots.initialize(repeating: -1)
                        func text(_ bytes: UnsafeBufferPointer<UInt8>, _ offsets: UnsafeBufferPointer<Int>, _ entry: Int) -> UnsafeBufferPointer<UInt8> {
                            UnsafeBufferPointer(rebasing: bytes[offsets[entry]..<offsets[entry + 1]])
                        }
                        func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
                            x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
                        }
                        /// The first entry of `a` with these bytes; -1 when none (and, when `entry`
                        /// is given, that entry is added).
                        func find(_ value: UnsafeBufferPointer<UInt8>, hash: UInt64, adding entry: Int?) -> Int {
                            var slot = Int(truncatingIfNeeded: hash) & mask
                            while slots[slot] >= 0 {
                                let known = Int(slots[slot])
                                if hashes[known] == hash, same(text(aBytes, aOffsets, known), value) { return known }
                                slot = (slot + 1) & mask
                            }
                            if let entry { slots[slot] = Int32(entry) }
                            return -1
                        }
                        aIDs.withUnsafeMutableBufferPointer { aIDs in
                            for entry in 0..<count {
                                let value = text(aBytes, aOffsets, entry)
                                let hash = Evaluator.hashBytes(value)
                                hashes[entry] = hash
                                let known = find(value, hash: hash, adding: entry)
                                aIDs[entry] = UInt64(known < 0 ? entry : known)
                            }
                        }
                        bIDs.withUnsafeMutableBufferPointer { bIDs in
                            for entry in 0..<bIDs.count {
                                let value = text(bBytes, bOffsets, entry)
                                let known = find(value, hash: Evaluator.hashBytes(value), adding: nil)
                                // A text the other side lacks gets a pattern none of its texts has.
                                bIDs[entry] = known < 0 ? UInt64.max - UInt64(entry) : UInt64(known)
                            }
                        }
                        return (bIDs, aIDs)
                    }
                }
            }
        }
    }
}
