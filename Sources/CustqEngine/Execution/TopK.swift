/// The `count` best rows by a key, keeping only that many while scanning (bounded
/// selection), ties broken by the tie-break column ascending, then by row order.
/// Rows whose key is null are never picked.
enum TopK {
    /// `shouldStop` is asked every 64K rows (Ctrl-C); true ends the selection with `.interrupted`.
    static func select(_ count: Int, from key: Vector, descending: Bool, tieBreak: Vector?,
                       shouldStop: (@Sendable () -> Bool)? = nil) throws(EvaluationError) -> [Int] {
        let stop = StopCheck(shouldStop)
        // Typed fast path: a numeric or date key, and an integer tie-break without nulls.
        var ties: [Int64]?
        if let tieBreak {
            guard case .integer(let ids) = tieBreak.storage, tieBreak.nulls == nil else {
                return try general(count, from: key, descending: descending, tieBreak: tieBreak, stop: stop)
            }
            ties = ids
        }
        switch key.storage {
        case .decimal(let v): return try typed(count, v, key.nulls, descending: descending, ties: ties, stop: stop)
        case .integer(let v): return try typed(count, v, key.nulls, descending: descending, ties: ties, stop: stop)
        case .date(let v): return try typed(count, v, key.nulls, descending: descending, ties: ties, stop: stop)
        case .timestamp(let v): return try typed(count, v, key.nulls, descending: descending, ties: ties, stop: stop)
        default: return try general(count, from: key, descending: descending, tieBreak: tieBreak, stop: stop)
        }
    }

    private static func typed<T: Comparable>(_ count: Int, _ values: [T], _ nulls: [Bool]?, descending: Bool,
                                             ties: [Int64]?, stop: StopCheck) throws(EvaluationError) -> [Int] {
        try values.withUnsafeBufferPointer { (values: UnsafeBufferPointer<T>) throws(EvaluationError) in
            try bounded(count, rows: values.count, isNull: { nulls?[$0] ?? false }, stop: stop) { a, b in
                if values[a] != values[b] { return descending ? values[a] > values[b] : values[a] < values[b] }
                if let ties, ties[a] != ties[b] { return ties[a] < ties[b] }
                return a < b
            }
        }
    }

    private static func general(_ count: Int, from key: Vector, descending: Bool, tieBreak: Vector?,
                                stop: StopCheck) throws(EvaluationError) -> [Int] {
        let before = RowOrder(keys: [(key, descending)] + (tieBreak.map { [($0, false)] } ?? []))
        return try bounded(count, rows: key.count, isNull: key.isNull, stop: stop) { before.precedes($0, $1) }
    }

    /// The `count` first rows by `precedes`, best first, rows where `isNull` left out. A few
    /// are kept in a sorted array (a row that does not beat the last is dropped at once);
    /// many in a heap whose top is the worst kept, so `top 1000000` is n log k, not n × k.
    private static func bounded(_ count: Int, rows: Int, isNull: (Int) -> Bool, stop: StopCheck,
                                precedes: (Int, Int) -> Bool) throws(EvaluationError) -> [Int] {
        guard count > 64 else {
            var best: [Int] = []
            best.reserveCapacity(min(count, rows) + 1)
            for row in 0..<rows where !isNull(row) {
                try stop.check(row)
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
        var heap: [Int] = []
        heap.reserveCapacity(min(count, rows))
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var worst = parent
                if left < heap.count, precedes(heap[worst], heap[left]) { worst = left }
                if right < heap.count, precedes(heap[worst], heap[right]) { worst = right }
                if worst == parent { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for row in 0..<rows where !isNull(row) {
            try stop.check(row)
            if heap.count < count {
                heap.append(row)
                siftUp(heap.count - 1)
            } else if precedes(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        heap.sort(by: precedes)
        return heap
    }
}
