import CustqStore

/// Strings as indexes into a heap. `unique` when each distinct string appears once in the
/// heap (a dictionary), so equal indexes mean equal strings and the reverse.
struct StringValues {
    var heap: StringHeap
    var indexes: [Int32]
    var unique: Bool

    init(heap: StringHeap, indexes: [Int32], unique: Bool) {
        self.heap = heap
        self.indexes = indexes
        self.unique = unique
    }

    /// Computed strings, interned so that the result is a dictionary.
    init(strings: [String]) {
        var positions: [String: Int32] = [:]
        var distinct: [String] = []
        indexes = strings.map { string in
            if let index = positions[string] { return index }
            let index = Int32(distinct.count)
            positions[string] = index
            distinct.append(string)
            return index
        }
        heap = StringHeap(distinct)
        unique = true
    }

    func string(at i: Int) -> String { heap.string(at: Int(indexes[i])) }
}
