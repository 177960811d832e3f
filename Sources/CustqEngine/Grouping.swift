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

    init(keys: [Vector], rows: Int) {
        guard !keys.isEmpty else {
            groupOf = [Int32](repeating: 0, count: rows)
            representative = rows > 0 ? [0] : []
            return
        }
        let coded = keys.map(Self.codes)
        var space = 1
        for (_, cardinality) in coded { space = space.multipliedReportingOverflow(by: max(1, cardinality)).overflow ? Int.max : space * max(1, cardinality) }
        groupOf = [Int32](repeating: 0, count: rows)
        representative = []
        if space <= 1 << 22 {
            // Dense: combine the codes into one number per row, then number the groups in
            // order of first appearance through a lookup array.
            var combined = coded[0].codes
            combined.withUnsafeMutableBufferPointer { combined in
                for (codes, cardinality) in coded.dropFirst() {
                    codes.withUnsafeBufferPointer { codes in
                        let c = Int32(cardinality)
                        for row in 0..<rows { combined[row] = combined[row] &* c &+ codes[row] }
                    }
                }
            }
            var slot = [Int32](repeating: -1, count: space)
            slot.withUnsafeMutableBufferPointer { slot in
                combined.withUnsafeBufferPointer { combined in
                    groupOf.withUnsafeMutableBufferPointer { groupOf in
                        for row in 0..<rows {
                            let key = Int(combined[row])
                            var group = slot[key]
                            if group < 0 {
                                group = Int32(representative.count)
                                slot[key] = group
                                representative.append(row)
                            }
                            groupOf[row] = group
                        }
                    }
                }
            }
        } else {
            var table: [[Int32]: Int32] = [:]
            for row in 0..<rows {
                let key = coded.map { $0.codes[row] }
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

    /// Per-row codes of one key (0 = null) and how many codes there can be.
    static func codes(_ v: Vector) -> (codes: [Int32], cardinality: Int) {
        switch v.storage {
        case .string(let s) where s.unique:
            var codes = [Int32](repeating: 0, count: s.indexes.count)
            for i in codes.indices where !v.isNull(i) { codes[i] = s.indexes[i] + 1 }
            return (codes, s.heap.count + 1)
        case .string(let s):
            var numbering: [String: Int32] = [:]
            var codes = [Int32](repeating: 0, count: s.indexes.count)
            for i in codes.indices where !v.isNull(i) {
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
        case .integer(let x): return number(x.map { UInt64(bitPattern: $0) }, v)
        case .decimal(let x): return number(x.map { ($0 == 0 ? 0.0 : $0).bitPattern }, v)
        case .date(let x): return number(x.map { UInt64(UInt32(bitPattern: $0)) }, v)
        case .timestamp(let x): return number(x.map { UInt64(bitPattern: $0) }, v)
        }
    }

    private static func number(_ bits: [UInt64], _ v: Vector) -> (codes: [Int32], cardinality: Int) {
        var numbering: [UInt64: Int32] = [:]
        var codes = [Int32](repeating: 0, count: bits.count)
        for i in bits.indices where !v.isNull(i) {
            if let code = numbering[bits[i]] { codes[i] = code } else {
                let code = Int32(numbering.count + 1)
                numbering[bits[i]] = code
                codes[i] = code
            }
        }
        return (codes, numbering.count + 1)
    }
}
