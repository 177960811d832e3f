import CustqStore

extension Evaluator {
    /// The roll-up's aggregate for each evaluated row: the other table's rows are grouped by
    /// their key (a hash table over the key values), aggregated once, and each row here
    /// looks its key up. Rows with no related rows get 0 for count and null otherwise.
    func rollup(_ rollup: Rollup) throws(EvaluationError) -> Vector {
        let other = context.table(named: rollup.table)
        let otherEvaluator = Evaluator(table: other, rows: nil, context: context.with(table))
        let cutoff = rollup.cutoff.map { (other.columns[$0.dateColumn], $0.day) }
        let relation = try relation(from: table.columns[rollup.keyHere], to: other.columns[rollup.keyThere], cutoff: cutoff)
        let argument = try rollup.call.argument.map { (expr: BoundExpr) throws(EvaluationError) in try otherEvaluator.evaluate(expr) }
        let perKey = try Aggregates.compute(rollup.call, argument: argument, grouping: relation.grouping)
        // Each row here takes its key's value: the relation maps every table row to a group.
        let count = rows?.count ?? table.rowCount
        guard perKey.count > 0 else { return Vector.allNull(rollup.call.type, count: count) }
        let picks = rows.map { $0.map { relation.groupOfRow[Int($0)] } } ?? relation.groupOfRow
        let missing = picks.map { $0 < 0 }
        var result = perKey.gather(picks.map { max(0, $0) })
        if rollup.call.kind == .count || rollup.call.kind == .countIf || rollup.call.kind == .distinct {
            if case .integer(var counts) = result.storage {
                for row in missing.indices where missing[row] { counts[row] = 0 }
                result = Vector(storage: .integer(counts), nulls: nil)
            }
        } else if missing.contains(true) {
            var nulls = result.nulls ?? [Bool](repeating: false, count: count)
            for row in missing.indices where missing[row] { nulls[row] = true }
            result.nulls = nulls
        }
        return result
    }

    /// The looked-up column for each evaluated row (null where no related row has the key).
    func lookup(_ lookup: Lookup) throws(EvaluationError) -> Vector {
        let other = context.table(named: lookup.table)
        let relation = try relation(from: table.columns[lookup.keyHere], to: other.columns[lookup.keyThere])
        let groups = rows.map { $0.map { relation.groupOfRow[Int($0)] } } ?? relation.groupOfRow
        // A group's representative is its first related row: with one row per key, the row.
        let otherRows = groups.map { $0 < 0 ? Int32(0) : Int32(relation.grouping.representative[$0]) }
        var values = Evaluator(table: other, rows: otherRows).column(other.columns[lookup.column])
        if groups.contains(where: { $0 < 0 }) {
            var nulls = values.nulls ?? [Bool](repeating: false, count: groups.count)
            for (i, group) in groups.enumerated() where group < 0 { nulls[i] = true }
            values.nulls = nulls
        }
        return values
    }

    /// The relation between two key columns, from the session's cache when there is one;
    /// building it stops at Ctrl-C.
    func relation(from here: Column, to there: Column, cutoff: (dates: Column, day: Int32)? = nil) throws(EvaluationError) -> Relation {
        let stop = StopCheck(shouldStop)
        if let relations { return try relations.relation(from: here, to: there, cutoff: cutoff, stop: stop) }
        return try Relation(here: here, there: there, cutoff: cutoff, stop: stop)
    }

    /// A key column's values, all rows.
    static func keyVector(_ column: Column) -> Vector {
        Evaluator(table: Table(name: "", columns: [column], rowCount: column.count), rows: nil).column(column)
    }

    /// The column's values at `rows`, under its name, keeping what the file said of it
    /// (unit, reading, description): a table's rows picked or regrouped.
    static func gathered(_ column: Column, rows: [Int]) -> Column {
        var picked = keyVector(column).gather(rows).column(named: column.name)
        picked.unit = column.unit
        picked.reading = column.reading
        picked.description = column.description
        return picked
    }

    /// Key values as 64-bit patterns for hashing (integers, dates, text through its heap).
    static func keyBits(_ v: Vector) -> [UInt64] {
        switch v.storage {
        case .integer(let x): return x.map { UInt64(bitPattern: $0) }
        case .decimal(let x): return x.map { ($0 == 0 ? 0.0 : $0).bitPattern }
        case .date(let x): return x.map { UInt64(UInt32(bitPattern: $0)) }
        case .timestamp(let x): return x.map { UInt64(bitPattern: $0) }
        case .boolean(let x): return x.map { $0 ? 1 : 0 }
        case .string(let s):
            // Text keys hash by content so equal text in two heaps matches.
            let hashes = (0..<s.heap.count).map { entry in s.heap.withBytes(at: entry) { Self.hashBytes($0) } }
            return s.indexes.map { hashes[Int($0)] }
        }
    }

    static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }
}

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

/// Relations built once and reused by later queries while both key columns are unchanged
/// (a column's values are immutable; a reloaded table has new ones). Columns are known by
/// the identity of their storage, which the cache holds on to while it keeps an entry, so
/// no new column can take a cached one's address; `keep(onlyColumnsOf:)` lets go of the
/// columns no table holds any more.
public final class RelationCache: @unchecked Sendable {
    private struct Key: Hashable {
        let here: ObjectIdentifier
        let there: ObjectIdentifier
        /// The dates and day of a cut-off (orders after `.asof` relate to no one).
        let dates: ObjectIdentifier?
        let cutoff: Int32?
    }

    private struct Entry {
        let relation: Relation
        /// The storage of the columns in the key, held so that their identities stay theirs.
        let storage: [AnyObject]
    }

    private var relations: [Key: Entry] = [:]
    private var uniqueness: [ObjectIdentifier: (unique: Bool, storage: AnyObject)] = [:]

    public init() {}

    /// Forgets what was worked out about columns no longer in `tables`.
    public func keep(onlyColumnsOf tables: [Table]) {
        guard !relations.isEmpty || !uniqueness.isEmpty else { return }
        let live = Set(tables.flatMap { $0.columns.map { ObjectIdentifier(Self.storage($0)) } })
        relations = relations.filter { key, _ in
            live.contains(key.here) && live.contains(key.there) && key.dates.map(live.contains) != false
        }
        uniqueness = uniqueness.filter { live.contains($0.key) }
    }

    /// How many relations are kept (for tests).
    var count: Int { relations.count }

    /// Whether no value repeats in a key column (so it can be looked up, many to one).
    func isUnique(_ column: Column) -> Bool {
        let storage = Self.storage(column), key = ObjectIdentifier(storage)
        if let known = uniqueness[key] { return known.unique }
        let unique = Self.computeUnique(column)
        uniqueness[key] = (unique, storage)
        return unique
    }

    static func computeUnique(_ column: Column) -> Bool {
        // Dictionary text (interned: one entry per distinct text): unique when no entry is
        // used twice, seen with one bit per entry instead of hashing every row.
        if case .string(let strings) = column.values, case .dictionary(let codes, let heap) = strings.storage {
            var seen = [UInt64](repeating: 0, count: heap.count / 64 + 1)
            return codes.withUnsafeBufferPointer { codes in
                for row in 0..<codes.count where column.nullCount == 0 || !column.isNull(row) {
                    let code = Int(codes[row]), bit: UInt64 = 1 << UInt64(code & 63)
                    if seen[code >> 6] & bit != 0 { return false }
                    seen[code >> 6] |= bit
                }
                return true
            }
        }
        // Whole numbers over a range not much wider than the rows: one bit per possible value.
        if case .integer(let values) = column.values, let (low, high) = column.wholeNumberRange {
            let (span, overflow) = high.subtractingReportingOverflow(low)
            if !overflow, span < Int64(max(1 << 20, 16 * values.count)) {
                var seen = [UInt64](repeating: 0, count: Int(span) / 64 + 1)
                return values.withUnsafeBufferPointer { values in
                    for row in 0..<values.count where column.nullCount == 0 || !column.isNull(row) {
                        let offset = Int(values[row] &- low), bit: UInt64 = 1 << UInt64(offset & 63)
                        if seen[offset >> 6] & bit != 0 { return false }
                        seen[offset >> 6] |= bit
                    }
                    return true
                }
            }
        }
        let bits = Evaluator.keyBits(Evaluator.keyVector(column))
        let numbering = BitsNumbering(expected: column.count)
        var nonNull = 0
        for row in 0..<column.count where !column.isNull(row) {
            nonNull += 1
            _ = numbering.code(of: bits[row])
        }
        return numbering.count == nonNull
    }

    /// The relation from `here` to `there` where nothing asks to stop (while loading).
    func relation(from here: Column, to there: Column) -> Relation {
        do { return try relation(from: here, to: there, stop: .never) } catch {
            preconditionFailure("a relation that is never asked to stop was interrupted")
        }
    }

    /// The relation from `here` to `there`, built now (interrupted when `stop` asks) or reused.
    func relation(from here: Column, to there: Column, cutoff: (dates: Column, day: Int32)? = nil,
                  stop: StopCheck) throws(EvaluationError) -> Relation {
        var storage = [Self.storage(here), Self.storage(there)]
        if let cutoff { storage.append(Self.storage(cutoff.dates)) }
        let key = Key(here: ObjectIdentifier(storage[0]), there: ObjectIdentifier(storage[1]),
                      dates: cutoff.map { _ in ObjectIdentifier(storage[2]) }, cutoff: cutoff?.day)
        if let known = relations[key] { return known.relation }
        let relation = try Relation(here: here, there: there, cutoff: cutoff, stop: stop)
        relations[key] = Entry(relation: relation, storage: storage)
        return relation
    }

    /// The object that holds a column's values: the same object for the same values.
    static func storage(_ column: Column) -> AnyObject {
        switch column.values {
        case .integer(let v): v
        case .decimal(let v): v
        case .boolean(let v): v
        case .date(let v): v
        case .timestamp(let v): v
        case .string(let s):
            switch s.storage {
            case .dictionary(let codes, _): codes
            case .plain(let heap): heap.bytes
            }
        }
    }
}

extension Column {
    /// The first and last day of a date column, nulls left out; nil for other columns and
    /// for a column of nulls.
    var wholeDayRange: (low: Int32, high: Int32)? {
        guard case .date(let values) = self.values else { return nil }
        return range(of: values)
    }

    /// The smallest and largest value of a whole-number column, nulls left out; nil for other
    /// columns and for a column of nulls (dense ids can then index an array).
    var wholeNumberRange: (low: Int64, high: Int64)? {
        guard case .integer(let values) = self.values else { return nil }
        return range(of: values)
    }

    private func range<T: FixedWidthInteger>(of values: ValueBuffer<T>) -> (low: T, high: T)? {
        var low = T.max, high = T.min
        values.withUnsafeBufferPointer { values in
            for row in 0..<values.count where nullCount == 0 || !isNull(row) {
                low = min(low, values[row])
                high = max(high, values[row])
            }
        }
        return low <= high ? (low, high) : nil
    }
}
