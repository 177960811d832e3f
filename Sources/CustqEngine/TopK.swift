/// The `count` best rows by a key, keeping only that many while scanning (bounded
/// selection), ties broken by the tie-break column ascending, then by row order.
/// Rows whose key is null are never picked.
enum TopK {
    static func select(_ count: Int, from key: Vector, descending: Bool, tieBreak: Vector?) -> [Int] {
        // Typed fast path: a numeric or date key, and an integer tie-break without nulls.
        var ties: [Int64]?
        if let tieBreak {
            guard case .integer(let ids) = tieBreak.storage, tieBreak.nulls == nil else {
                return general(count, from: key, descending: descending, tieBreak: tieBreak)
            }
            ties = ids
        }
        switch key.storage {
        case .decimal(let v): return typed(count, v, key.nulls, descending: descending, ties: ties)
        case .integer(let v): return typed(count, v, key.nulls, descending: descending, ties: ties)
        case .date(let v): return typed(count, v, key.nulls, descending: descending, ties: ties)
        case .timestamp(let v): return typed(count, v, key.nulls, descending: descending, ties: ties)
        default: return general(count, from: key, descending: descending, tieBreak: tieBreak)
        }
    }

    private static func typed<T: Comparable>(_ count: Int, _ values: [T], _ nulls: [Bool]?, descending: Bool,
                                             ties: [Int64]?) -> [Int] {
        var best: [Int] = []
        best.reserveCapacity(min(count, values.count) + 1)
        @inline(__always) func precedes(_ a: Int, _ b: Int) -> Bool {
            if values[a] != values[b] { return descending ? values[a] > values[b] : values[a] < values[b] }
            if let ties, ties[a] != ties[b] { return ties[a] < ties[b] }
            return a < b
        }
        for row in 0..<values.count where !(nulls?[row] ?? false) {
            if best.count == count, !precedes(row, best[best.count - 1]) { continue }
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(best[mid], row) { low = mid + 1 } else { high = mid }
            }
            best.insert(row, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    private static func general(_ count: Int, from key: Vector, descending: Bool, tieBreak: Vector?) -> [Int] {
        var best: [Int] = []   // sorted best-first
        best.reserveCapacity(min(count, key.count) + 1)
        let before = RowOrder(keys: [(key, descending)] + (tieBreak.map { [($0, false)] } ?? []))
        for row in 0..<key.count where !key.isNull(row) {
            if best.count == count, let worst = best.last, !before.precedes(row, worst) { continue }
            // Insert keeping best-first order (binary search for the place).
            var low = 0, high = best.count
            while low < high {
                let mid = (low + high) / 2
                if before.precedes(best[mid], row) { low = mid + 1 } else { high = mid }
            }
            best.insert(row, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}

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

enum Sorting {
    /// `rows` sorted by the keys (stable: ties keep their order).
    static func order(_ rows: [Int], by keys: [(Vector, Bool)]) -> [Int] {
        let order = RowOrder(keys: keys)
        return rows.sorted { order.precedes($0, $1) }
    }
}
