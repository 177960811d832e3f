import CustqDiagnostics

/// Splits CSV bytes into records and fields (RFC 4180: quotes, doubled quotes, newlines
/// inside quotes, LF or CRLF). It only finds boundaries; values are read by the caller.
struct CSVTokenizer {
    enum Failure: Error {
        case unterminatedQuote(offset: Int, line: Int)
        case textAfterQuote(offset: Int, line: Int, recordStart: Int, recordLine: Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    private(set) var position: Int
    private(set) var line = 1
    let spans: UnsafeMutablePointer<FieldSpan>
    let spanCapacity: Int

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, start: Int, line: Int = 1, maxFields: Int) {
        self.bytes = bytes
        self.delimiter = delimiter
        position = start
        self.line = line
        spanCapacity = maxFields
        spans = .allocate(capacity: maxFields)
    }

    func deallocate() { spans.deallocate() }

    var atEnd: Bool { position >= bytes.count }

    /// Reads the next record, or nil at the end of the input.
    mutating func next() throws(Failure) -> CSVRecord? {
        let n = bytes.count
        guard position < n, let base = bytes.baseAddress else { return nil }
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let carriage = UInt8(ascii: "\r")
        var record = CSVRecord(start: position, line: line, fieldCount: 0, isBlank: false)
        var i = position
        while true {
            var span = FieldSpan(start: i, end: i, quoted: false, escaped: false)
            if i < n, base[i] == quote {
                let openQuote = i
                let openLine = line
                span.quoted = true
                i += 1
                span.start = i
                while true {
                    // Skip ordinary bytes inside the quotes quickly.
                    while i < n, base[i] != quote {
                        if base[i] == newline { line += 1 }
                        i += 1
                    }
                    if i >= n { throw .unterminatedQuote(offset: openQuote, line: openLine) }
                    if i + 1 < n, base[i + 1] == quote {
                        span.escaped = true
                        i += 2
                        continue
                    }
                    break
                }
                span.end = i
                i += 1
                if i < n, base[i] != delimiter, base[i] != newline, base[i] != carriage {
                    throw .textAfterQuote(offset: i, line: line, recordStart: record.start, recordLine: record.line)
                }
            } else {
                i = Self.endOfUnquotedField(base, from: i, count: n, delimiter: delimiter)
                span.end = i
            }
            if record.fieldCount < spanCapacity { spans[record.fieldCount] = span }
            record.fieldCount += 1
            if i < n, base[i] == delimiter {
                i += 1
                continue
            }
            break
        }
        // End of record: newline, CRLF, lone CR, or end of input.
        if i < n {
            if base[i] == carriage, i + 1 < n, base[i + 1] == newline { i += 1 }
            i += 1
            line += 1
        }
        record.isBlank = record.fieldCount == 1 && !spans[0].quoted && spans[0].start == spans[0].end
        position = i
        return record
    }

    /// First offset at or after `start` holding the delimiter, `\n` or `\r` (or `count`).
    /// Looks at eight bytes per step: a field is ~6 bytes on average, so most fields end
    /// within one step instead of one compare-and-branch per byte.
    @inline(__always)
    static func endOfUnquotedField(_ base: UnsafePointer<UInt8>, from start: Int, count n: Int, delimiter: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = UInt64(delimiter) &* ones
        let newlines = UInt64(UInt8(ascii: "\n")) &* ones
        let carriages = UInt64(UInt8(ascii: "\r")) &* ones
        let raw = UnsafeRawPointer(base)
        var i = start
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let a = word ^ delimiters, b = word ^ newlines, c = word ^ carriages
            // A byte of x is zero exactly where word matched; the lowest flagged byte is exact.
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n {
            let byte = base[i]
            if byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return i }
            i += 1
        }
        return n
    }

    /// After a failure in lenient mode: continue at the next line outside quotes.
    mutating func skipToNextLine(from offset: Int) {
        var i = offset
        let n = bytes.count
        while i < n, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        if i < n {
            i += 1
            line += 1
        }
        position = i
    }
}
