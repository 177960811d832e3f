/// Checks a file's UTF-8 a window at a time, just ahead of the reader, so pages are read
/// once and can be handed back as the reader goes (checking the whole file first would
/// hold all of it in memory: 527 MB for a 1M-row JSON file).
struct UTF8Validator {
    let window: Int
    let bytes: UnsafeBufferPointer<UInt8>
    /// A strict load stops at the first bad byte; a lenient one notes them all.
    let collectAll: Bool
    private(set) var checkedEnd: Int
    private var invalid: [Int] = []
    private var cursor = 0

    init(bytes: UnsafeBufferPointer<UInt8>, from start: Int, collectAll: Bool, window: Int = 16 << 20) {
        self.bytes = bytes
        self.window = window
        self.collectAll = collectAll
        checkedEnd = start
    }

    /// The first invalid byte in `start ..< end`, checking further ahead when needed.
    /// Calls must come with non-decreasing `start`.
    mutating func firstInvalid(from start: Int, to end: Int) -> Int? {
        while checkedEnd < min(end, bytes.count) { checkNextWindow() }
        while cursor < invalid.count, invalid[cursor] < start { cursor += 1 }
        if cursor < invalid.count, invalid[cursor] < end { return invalid[cursor] }
        return nil
    }

    private mutating func checkNextWindow() {
        var windowEnd = min(bytes.count, checkedEnd + self.window)
        // Never cut a character in two: end the window after its continuation bytes.
        while windowEnd < bytes.count, bytes[windowEnd] & 0xC0 == 0x80 { windowEnd += 1 }
        let checked = UnsafeBufferPointer(rebasing: bytes[..<windowEnd])
        var from = checkedEnd
        while let bad = UTF8Check.firstInvalid(in: checked, from: from) {
            invalid.append(bad)
            if !collectAll {
                checkedEnd = bytes.count   // nothing after the first bad byte matters
                return
            }
            from = bad + 1
        }
        checkedEnd = windowEnd
    }
}
