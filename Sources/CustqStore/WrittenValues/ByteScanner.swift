/// Reads a value's bytes left to right: the small steps the written-format parsers share.
public struct ByteScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var position: Int
    public let end: Int

    /// The bytes with spaces (and tabs, no-break spaces) at both ends left out.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        var start = 0, end = bytes.count
        while start < end, Self.isSpace(bytes, at: start) { start += Self.spaceLength(bytes, at: start) }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        while end - start >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 { end -= 2 }
        position = start
        self.end = end
    }

    public var atEnd: Bool { position >= end }

    public var next: UInt8? { position < end ? bytes[position] : nil }

    /// A space, a tab or a no-break space (U+00A0, which spreadsheets put in numbers).
    public static func isSpace(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        bytes[i] == 0x20 || bytes[i] == 0x09 || (bytes[i] == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0xA0)
    }

    public static func spaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int { bytes[i] == 0xC2 ? 2 : 1 }

    /// Skips spaces; returns how many were skipped.
    @discardableResult
    public mutating func skipSpaces() -> Int {
        var skipped = 0
        while position < end, Self.isSpace(bytes, at: position) {
            position += Self.spaceLength(bytes, at: position)
            skipped += 1
        }
        return skipped
    }

    /// Takes `byte` if it comes next.
    public mutating func take(_ byte: UInt8) -> Bool {
        guard position < end, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Takes the UTF-8 text `word` if it comes next (ASCII letters in any case).
    public mutating func take(word: [UInt8]) -> Bool {
        guard end - position >= word.count else { return false }
        for (offset, byte) in word.enumerated() {
            let here = bytes[position + offset]
            let matches = byte < 0x80 && Self.isLetter(byte) ? here | 0x20 == byte | 0x20 : here == byte
            if !matches { return false }
        }
        position += word.count
        return true
    }

    /// Digits: their value and how many there were (at most `maximum`); nil when none.
    public mutating func number(maximum: Int = 9) -> (value: Int, digits: Int)? {
        var value = 0, digits = 0
        while position < end, digits < maximum, bytes[position] &- 48 < 10 {
            value = value * 10 + Int(bytes[position] &- 48)
            digits += 1
            position += 1
        }
        return digits == 0 ? nil : (value, digits)
    }

    public static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 97 < 26 }
    public static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }
}
