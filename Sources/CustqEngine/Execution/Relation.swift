import CustqStore

/// How the rows of a related table map to the rows of a queried table through their key
/// columns: groups of related rows, and the group of each queried row (-1: none).
/// With a cutoff, related rows dated after it relate to no one (orders after `.asof`).
final class Relation: @unchecked Sendable {
    let grouping: Grouping
    let groupOfRow: [Int]

    /// Throws `.interrupted` when `stop` asks (Ctrl-C) while the keys are matched.
    init(here: Column, there: Column, cutoff: (dates: Column, day: Int32)? = nil, stop: StopCheck) throws(EvaluationError) {
        var late: [Bool]?
        if let cutoff, case .date(let days) = cutoff.dates.values {
            late = days.withUnsafeBufferPointer { days in
                (0..<there.count).map { !cutoff.dates.isNull($0) && days[$0] > cutoff.day }
            }
        }
        if let dense = try Self.denseIntegers(here: here, there: there, late: late, stop: stop) {
            (grouping, groupOfRow) = dense
            return
        }
        let (hereKeys, otherKeys) = KeyMatching.comparable(here, there)
        if let texts = try Self.texts(hereKeys: hereKeys, otherKeys: otherKeys, late: late, stop: stop) {
            (grouping, groupOfRow) = texts
            return
        }
        let numbering = BitsNumbering(expected: max(1 << 16, there.count / 4))
        var groupOf = [Int32](repeating: 0, count: there.count)
        var representative: [Int] = []
        let (hereBits, otherBits) = KeyMatching.exactBits(hereKeys, otherKeys)
        var orphans = false
        // Related rows usually come in runs of one key (orders by customer): reuse the last code.
        var lastBits: UInt64 = 0, lastCode: Int32 = 0
        for row in 0..<there.count {
            try stop.check(row)
            if otherKeys.isNull(row) || late?[row] == true { groupOf[row] = -1; orphans = true; continue }
            let bits = otherBits[row]
            if lastCode != 0, bits == lastBits {
                groupOf[row] = lastCode - 1
                continue
            }
            let before = numbering.count
            let code = numbering.code(of: bits)
            if numbering.count != before { representative.append(row) }
            groupOf[row] = code - 1
            lastBits = bits
            lastCode = code
        }
        grouping = Self.withOrphanGroup(groupOf: groupOf, representative: representative, orphans: orphans)
        groupOfRow = (0..<here.count).map { row in
            guard !hereKeys.isNull(row), let code = numbering.existingCode(of: hereBits[row]) else { return -1 }
            return Int(code - 1)
        }
    }

    /// Rows with no key (or dated too late) join no one: they go to a last group that
    /// nothing looks up.
    private static func withOrphanGroup(groupOf: [Int32], representative: [Int], orphans: Bool) -> Grouping {
        guard orphans else { return Grouping(groupOf: groupOf, representative: representative) }
        var groupOf = groupOf, representative = representative
        let orphanGroup = Int32(representative.count)
        representative.append(0)
        for row in groupOf.indices where groupOf[row] < 0 { groupOf[row] = orphanGroup }
        return Grouping(groupOf: groupOf, representative: representative)
    }

    /// The same relation for text keys: texts are matched once per heap entry (confirmed
    /// byte by byte), and rows find their group through an array per entry, not a hash.
    private static func texts(hereKeys: Vector, otherKeys: Vector, late: [Bool]?, stop: StopCheck) throws(EvaluationError) -> (Grouping, [Int])? {
        guard case .string(let there) = otherKeys.storage, case .string(let here) = hereKeys.storage else { return nil }
        let (hereIDs, thereIDs) = KeyMatching.entryIDs(here: here, there: there)
        let numbered = there.indexes.withUnsafeBufferPointer { indexes in
            Grouping.numbered(rows: indexes.count, slots: there.heap.count, stop: stop) { row in
                otherKeys.isNull(row) || late?[row] == true ? -1 : Int(thereIDs[Int(indexes[row])])
            }
        }
        guard let (groupOf, representative, groupOfEntry, orphans) = numbered else { throw .interrupted }
        let entries = UInt64(there.heap.count)
        let groupOfRow = (0..<here.indexes.count).map { row -> Int in
            guard !hereKeys.isNull(row) else { return -1 }
            let id = hereIDs[Int(here.indexes[row])]
            return id < entries ? Int(groupOfEntry[Int(id)]) : -1
        }
        return (withOrphanGroup(groupOf: groupOf, representative: representative, orphans: orphans), groupOfRow)
    }

    /// The same relation for whole-number keys in a compact range (customer ids 1…n, the
    /// usual case): an array indexed by the key instead of a hash table, with no copies of
    /// the key columns. Nil when the keys are not whole numbers or spread too thin.
    private static func denseIntegers(here: Column, there: Column, late: [Bool]?, stop: StopCheck) throws(EvaluationError) -> (Grouping, [Int])? {
        guard case .integer(let hereValues) = here.values, case .integer(let thereValues) = there.values,
              let hereRange = here.wholeNumberRange, let thereRange = there.wholeNumberRange else { return nil }
        let low = min(hereRange.low, thereRange.low), high = max(hereRange.high, thereRange.high)
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < Int64(max(1 << 20, 8 * (here.count + there.count))) else { return nil }
        let numbered = thereValues.withUnsafeBufferPointer { keys in
            Grouping.numbered(rows: keys.count, slots: Int(span) + 1, stop: stop) { row in
                (there.nullCount > 0 && there.isNull(row)) || late?[row] == true ? -1 : Int(keys[row] &- low)
            }
        }
        guard let (groupOf, representative, codeOf, orphans) = numbered else { throw .interrupted }
        let groupOfRow = codeOf.withUnsafeBufferPointer { codeOf in
            hereValues.withUnsafeBufferPointer { keys in
                (0..<keys.count).map { row -> Int in
                    here.nullCount > 0 && here.isNull(row) ? -1 : Int(codeOf[Int(keys[row] &- low)])
                }
            }
        }
        return (withOrphanGroup(groupOf: groupOf, representative: representative, orphans: orphans), groupOfRow)
    }
}
