import CustqStore

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
        // A database column's values are not here: what its constraints say decides.
        if let declared = column.declaredUnique { return declared }
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
