/// Finds bytes that are not valid UTF-8 text, eight ASCII bytes at a time. A NUL byte
/// counts as not text: no CSV or JSON file holds one, and treating it like any other bad
/// byte gives one rule wherever it is (an error at its line, a skipped row when lenient).
enum UTF8Check {
    /// Offset of the first invalid byte at or after `start`, or nil when the rest is valid.
    static func firstInvalid(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = start
        while i < n {
            // Skip ASCII quickly: eight bytes with no high bit and no zero byte.
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let zero = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if (word & 0x8080_8080_8080_8080) | zero != 0 { break }
                i += 8
            }
            if i >= n { break }
            let lead = base[i]
            if lead == 0 { return i }
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return i
            }
            if i + length > n { return i }
            for k in 1..<length {
                let continuation = base[i + k]
                if continuation & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}
