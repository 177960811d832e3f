/// Orders rows by several keys (each ascending or descending, nulls last), then by row number.
struct RowOrder {
    let keys: [(Vector, Bool)]

    func precedes(_ a: Int, _ b: Int) -> Bool {
        for (vector, descending) in keys {
            let aNull = vector.isNull(a), bNull = vector.isNull(b)
            if aNull != bNull { return bNull }
            if aNull { continue }
            let order = compare(vector, a, b)
            if order != 0 { return descending ? order > 0 : order < 0 }
        }
        return a < b
    }

    private func compare(_ v: Vector, _ a: Int, _ b: Int) -> Int {
        switch v.storage {
        case .integer(let x): return x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
        case .decimal(let x): return x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
        case .date(let x): return x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
        case .timestamp(let x): return x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
        case .boolean(let x): return (x[a] ? 1 : 0) - (x[b] ? 1 : 0)
        case .string(let s):
            if s.indexes[a] == s.indexes[b] { return 0 }
            return s.heap.withBytes(at: Int(s.indexes[a])) { x in
                s.heap.withBytes(at: Int(s.indexes[b])) { y in Comparison.bytesCompare(x, y) }
            }
        }
    }
}
