#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps object keys (as bytes) to column indexes without making a String per key.
/// Records usually list keys in the same order, so the next column is guessed first.
/// Names live back to back in one byte array: no array per key to retain and release.
struct JSONKeyTable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    private var index: [UInt64: [Int]] = [:]

    var count: Int { offsets.count - 1 }

    /// The column for `key`, guessing `expected` first; nil for a new key.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, expected: Int) -> Int? {
        if expected < count, matches(expected, key) { return expected }
        guard let candidates = index[StringColumnBuilder.hash(key)] else { return nil }
        return candidates.first { matches($0, key) }
    }

    @inline(__always)
    private func matches(_ column: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[column], end = offsets[column + 1]
        guard end - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            StringColumnBuilder.equal(UnsafeBufferPointer(rebasing: all[start..<end]), key)
        }
    }

    /// Whether `input` holds column `column`'s name followed by a closing quote at `offset`
    /// (the usual case: records repeat their keys in order), so the key need not be scanned.
    @inline(__always)
    func nameFollowedByQuote(_ column: Int, in input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard column < count else { return false }
        let start = offsets[column], length = offsets[column + 1] - start
        guard offset + length < input.count, input[offset + length] == UInt8(ascii: "\"") else { return false }
        return bytes.withUnsafeBufferPointer { all in
            memcmp(all.baseAddress! + start, input.baseAddress! + offset, length) == 0
        }
    }

    func nameLength(_ column: Int) -> Int { offsets[column + 1] - offsets[column] }

    mutating func add(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let column = count
        bytes.append(contentsOf: key)
        offsets.append(bytes.count)
        index[StringColumnBuilder.hash(key), default: []].append(column)
        return column
    }
}
