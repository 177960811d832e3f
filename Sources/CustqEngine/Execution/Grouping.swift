import CustqStore

/// Assigns each row to a group by the values of the group keys.
///
/// Each key becomes a small integer code per row (dictionary codes for text, first-seen
/// numbering for numbers and dates, 0 for null); codes combine into one dense group number
/// through an array when the key space is small, else through a hash table.
struct Grouping {
    /// Group number of each row.
    var groupOf: [Int32]
    /// For each group, one row (an index into the key vectors) that belongs to it.
    var representative: [Int]
    var count: Int { representative.count }

    /// A group key: computed values, or a dictionary-encoded column read in place.
    enum Key {
        case vector(Vector)
        /// Codes of a dictionary column (`rows`: the selected table rows, nil for all).
        case dictionary(codes: ValueBuffer<UInt32>, size: Int, validity: ValidityBitmap?, rows: [Int32]?)
    }

    /// Groups rows where nothing asks to stop (while loading, which Ctrl-C stops between steps).
    init(keys: [Key], rows: Int) {
        do { try self.init(keys: keys, rows: rows, stop: .never) } catch {
            preconditionFailure("grouping that is never asked to stop was interrupted")
        }
    }

    /// Groups `rows` rows by `keys`; throws `.interrupted` when `stop` asks (Ctrl-C).
    init(keys: [Key], rows: Int, stop: StopCheck) throws(EvaluationError) {
        guard !keys.isEmpty else {
            groupOf = [Int32](repeating: 0, count: rows)
            representative = rows > 0 ? [0] : []
            return
        }
        // Text and number keys get their codes now; dictionary columns are read in place.
        var prepared: [(key: Key, codes: [Int32]?, cardinality: Int)] = []
        for key in keys {
            switch key {
            case .vector(let vector):
                guard let (codes, cardinality) = Self.codes(vector, stop: stop) else { throw .interrupted }
                prepared.append((key, codes, cardinality))
            case .dictionary(_, let size, _, _):
                prepared.append((key, nil, size + 1))
            }
        }
        let cardinalities = prepared.map(\.cardinality)
        var space = 1
        for cardinality in cardinalities {
            let (product, overflow) = space.multipliedReportingOverflow(by: max(1, cardinality))
            space = overflow ? Int.max : product
        }
        representative = []
        if space <= 1 << 22 {
            // Dense: fold the keys' codes into one number per row, then number the groups
            // in order of first appearance through a lookup array.
            var combined = [Int32](repeating: 0, count: rows)
            for key in prepared { Self.fold(key.key, codes: key.codes, cardinality: key.cardinality, into: &combined) }
            let numbered = combined.withUnsafeBufferPointer { combined in
                Self.numbered(rows: rows, slots: space, stop: stop) { Int(combined[$0]) }
            }
            guard let numbered else { throw .interrupted }
            groupOf = numbered.groupOf
            representative = numbered.representative
        } else {
            let coded = prepared.map { key -> [Int32] in
                var codes = [Int32](repeating: 0, count: rows)
                Self.fold(key.key, codes: key.codes, cardinality: 1, into: &codes)
                return codes
            }
            groupOf = [Int32](repeating: 0, count: rows)
            var table: [[Int32]: Int32] = [:]
            for row in 0..<rows {
                try stop.check(row)
                let key = coded.map { $0[row] }
                if let group = table[key] {
                    groupOf[row] = group
                } else {
                    let group = Int32(representative.count)
                    table[key] = group
                    representative.append(row)
                    groupOf[row] = group
                }
            }
        }
    }

    /// combined[row] = combined[row] * cardinality + code(row); code 0 is null.
    /// Rows numbered into groups by a small slot per row (-1: the row belongs to no group),
    /// in order of first appearance: each row's group, each group's first row, each
    /// slot's group (-1: none), and whether some row is in none. Nil when `stop` asked.
    @inline(__always)
    static func numbered(rows: Int, slots: Int, stop: StopCheck, slot: (Int) -> Int)
        -> (groupOf: [Int32], representative: [Int], groupOfSlot: [Int32], orphans: Bool)? {
        var groupOfSlot = [Int32](repeating: -1, count: slots)
        var representative: [Int] = []
        var orphans = false, stopped = false
        // In blocks of 65,536 rows, asking between blocks whether to stop: the loop over a
        // block's rows does nothing else.
        let groupOf = [Int32](unsafeUninitializedCapacity: rows) { groupOf, initialized in
            groupOfSlot.withUnsafeMutableBufferPointer { groupOfSlot in
                var start = 0
                while start < rows {
                    if stop.asked(0) { stopped = true; break }
                    let end = min(rows, start + 65_536)
                    for row in start..<end {
                        let index = slot(row)
                        guard index >= 0 else { orphans = true; groupOf[row] = -1; continue }
                        var group = groupOfSlot[index]
                        if group < 0 {
                            group = Int32(representative.count)
                            groupOfSlot[index] = group
                            representative.append(row)
                        }
                        groupOf[row] = group
                    }
                    start = end
                }
                initialized = start
            }
        }
        return stopped ? nil : (groupOf, representative, groupOfSlot, orphans)
    }

    private static func fold(_ key: Key, codes vectorCodes: [Int32]?, cardinality: Int, into combined: inout [Int32]) {
        switch key {
        case .vector:
            let c = Int32(cardinality)
            guard let vectorCodes else { return }
            vectorCodes.withUnsafeBufferPointer { codes in
                combined.withUnsafeMutableBufferPointer { combined in
                    for row in 0..<combined.count { combined[row] = combined[row] &* c &+ codes[row] }
                }
            }
        case .dictionary(let codes, _, let validity, let rows):
            let c = Int32(cardinality)
            codes.withUnsafeBufferPointer { codes in
                combined.withUnsafeMutableBufferPointer { combined in
                    if let rows {
                        for i in 0..<combined.count {
                            let row = Int(rows[i])
                            let code = validity.map { $0.isValid(row) } ?? true ? Int32(bitPattern: codes[row]) &+ 1 : 0
                            combined[i] = combined[i] &* c &+ code
                        }
                    } else if let validity {
                        for i in 0..<combined.count {
                            let code = validity.isValid(i) ? Int32(bitPattern: codes[i]) &+ 1 : 0
                            combined[i] = combined[i] &* c &+ code
                        }
                    } else {
                        for i in 0..<combined.count { combined[i] = combined[i] &* c &+ Int32(bitPattern: codes[i]) &+ 1 }
                    }
                }
            }
        }
    }

    /// Per-row codes of one key (0 = null) and how many codes there can be.
    static func codes(_ v: Vector) -> (codes: [Int32], cardinality: Int) {
        guard let codes = codes(v, stop: .never) else { preconditionFailure("codes that are never asked to stop were interrupted") }
        return codes
    }

    /// Per-row codes of one key (0 = null) and how many codes there can be; nil when `stop`
    /// asked while hashing.
    static func codes(_ v: Vector, stop: StopCheck) -> (codes: [Int32], cardinality: Int)? {
        switch v.storage {
        case .string(let s) where s.unique:
            var codes = [Int32](repeating: 0, count: s.indexes.count)
            for i in codes.indices where !v.isNull(i) { codes[i] = s.indexes[i] + 1 }
            return (codes, s.heap.count + 1)
        case .string(let s):
            var numbering: [String: Int32] = [:]
            var codes = [Int32](repeating: 0, count: s.indexes.count)
            for i in codes.indices where !v.isNull(i) {
                if stop.asked(i) { return nil }
                let text = s.string(at: i)
                if let code = numbering[text] { codes[i] = code } else {
                    let code = Int32(numbering.count + 1)
                    numbering[text] = code
                    codes[i] = code
                }
            }
            return (codes, numbering.count + 1)
        case .boolean(let b):
            return ((0..<b.count).map { v.isNull($0) ? 0 : (b[$0] ? 2 : 1) }, 3)
        case .integer(let x): return number(x.map { UInt64(bitPattern: $0) }, v, stop: stop)
        case .decimal(let x): return number(x.map { ($0 == 0 ? 0.0 : $0).bitPattern }, v, stop: stop)
        case .date(let x): return number(x.map { UInt64(UInt32(bitPattern: $0)) }, v, stop: stop)
        case .timestamp(let x): return number(x.map { UInt64(bitPattern: $0) }, v, stop: stop)
        }
    }

    private static func number(_ bits: [UInt64], _ v: Vector, stop: StopCheck) -> (codes: [Int32], cardinality: Int)? {
        let numbering = BitsNumbering(expected: min(bits.count, 1 << 16))
        var stopped = false
        let codes = [Int32](unsafeUninitializedCapacity: bits.count) { codes, initialized in
            bits.withUnsafeBufferPointer { bits in
                if let nulls = v.nulls {
                    for i in 0..<bits.count {
                        if stop.asked(i) { stopped = true; break }
                        codes[i] = nulls[i] ? 0 : numbering.code(of: bits[i])
                    }
                } else {
                    // Equal values often come in runs (an order's lines): reuse the last code.
                    var last = bits.first.map { ~$0 } ?? 0, lastCode: Int32 = 0
                    for i in 0..<bits.count {
                        if stop.asked(i) { stopped = true; break }
                        if bits[i] != last {
                            last = bits[i]
                            lastCode = numbering.code(of: last)
                        }
                        codes[i] = lastCode
                    }
                }
            }
            initialized = bits.count
        }
        return stopped ? nil : (codes, numbering.count + 1)
    }

    /// Codes of whole numbers or dates within a narrow range (order ids, days): the value's
    /// offset from the least plus one (0 is null), with no hashing. Nil for other vectors
    /// and for ranges much wider than the row count.
    static func denseCodes(_ v: Vector) -> (codes: [Int32], cardinality: Int)? {
        func dense(_ values: UnsafeBufferPointer<Int64>) -> (codes: [Int32], cardinality: Int)? {
            var low = Int64.max, high = Int64.min
            for i in 0..<values.count where !v.isNull(i) {
                low = min(low, values[i])
                high = max(high, values[i])
            }
            guard low <= high else { return ([Int32](repeating: 0, count: values.count), 1) }
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span < Int64(values.count + (1 << 20)), span < Int64(Int32.max - 1) else { return nil }
            let codes = [Int32](unsafeUninitializedCapacity: values.count) { codes, initialized in
                for i in 0..<values.count { codes[i] = v.isNull(i) ? 0 : Int32(truncatingIfNeeded: values[i] &- low) &+ 1 }
                initialized = values.count
            }
            return (codes, Int(span) + 2)
        }
        switch v.storage {
        case .integer(let x): return x.withUnsafeBufferPointer(dense)
        case .date(let x): return x.map(Int64.init).withUnsafeBufferPointer(dense)
        default: return nil
        }
    }

    /// How many different non-null values a numeric or date vector holds.
    static func distinctCount(_ v: Vector) -> Int? {
        let bits: [UInt64]
        switch v.storage {
        case .integer(let x): bits = x.map { UInt64(bitPattern: $0) }
        case .decimal(let x): bits = x.map { ($0 == 0 ? 0.0 : $0).bitPattern }
        case .date(let x): bits = x.map { UInt64(UInt32(bitPattern: $0)) }
        case .timestamp(let x): bits = x.map { UInt64(bitPattern: $0) }
        default: return nil
        }
        let numbering = BitsNumbering(expected: bits.count / 2)
        bits.withUnsafeBufferPointer { bits in
            for i in 0..<bits.count where !v.isNull(i) { _ = numbering.code(of: bits[i]) }
        }
        return numbering.count
    }
}
