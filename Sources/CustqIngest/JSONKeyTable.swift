/// Maps object keys (as bytes) to column indexes without making a String per key.
/// Records usually list keys in the same order, so the next column is guessed first.
struct JSONKeyTable {
    private(set) var names: [[UInt8]] = []
    private var index: [UInt64: [Int]] = [:]

    /// The column for `key`, guessing `expected` first; nil for a new key.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, expected: Int) -> Int? {
        if expected < names.count, names[expected].withUnsafeBufferPointer({ StringColumnBuilder.equal($0, key) }) {
            return expected
        }
        guard let candidates = index[StringColumnBuilder.hash(key)] else { return nil }
        return candidates.first { names[$0].withUnsafeBufferPointer { StringColumnBuilder.equal($0, key) } }
    }

    mutating func add(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let column = names.count
        names.append(Array(key))
        index[StringColumnBuilder.hash(key), default: []].append(column)
        return column
    }
}
