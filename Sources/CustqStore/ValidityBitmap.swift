/// One bit per row: set when the row holds a value, clear when it is null.
public struct ValidityBitmap: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int
    public private(set) var nullCount: Int

    public init() {
        words = []
        count = 0
        nullCount = 0
    }

    /// A bitmap of `count` rows, all valid or all null.
    public init(count: Int, allValid: Bool) {
        let wordCount = (count + 63) >> 6
        words = Array(repeating: allValid ? ~0 : 0, count: wordCount)
        self.count = count
        nullCount = allValid ? 0 : count
        if allValid, count & 63 != 0 {
            words[wordCount - 1] = (1 << UInt64(count & 63)) - 1
        }
    }

    /// A bitmap from packed words (bit `i` of word `i / 64` is row `i`), as builders make it.
    public init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) >> 6, "word count must match row count")
        var words = words
        if count & 63 != 0 { words[words.count - 1] &= (1 << UInt64(count & 63)) - 1 }
        self.words = words
        self.count = count
        nullCount = count - words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    public mutating func reserveCapacity(_ rows: Int) {
        words.reserveCapacity((rows + 63) >> 6)
    }

    @inline(__always)
    public mutating func append(_ valid: Bool) {
        let bit = count & 63
        if bit == 0 { words.append(0) }
        if valid {
            words[words.count - 1] |= 1 << UInt64(bit)
        } else {
            nullCount += 1
        }
        count += 1
    }

    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    public var hasNulls: Bool { nullCount > 0 }
}
