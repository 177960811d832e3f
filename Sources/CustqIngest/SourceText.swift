import CustqDiagnostics

/// Turns byte offsets in a loaded file into what a person reads: line, column, line text.
/// Only used when something is reported, so it favours clarity over speed.
struct SourceText {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>

    /// A location for the byte at `offset`. `line` is passed when the reader knows it.
    func location(at offset: Int, line knownLine: Int? = nil, length: Int = 1) -> Diagnostic.Location {
        let offset = max(0, min(offset, bytes.count))
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n"), bytes[lineEnd] != UInt8(ascii: "\r") { lineEnd += 1 }
        let line = knownLine ?? (1 + count(of: UInt8(ascii: "\n"), before: lineStart))
        let prefix = UnsafeBufferPointer(rebasing: bytes[lineStart..<offset])
        let column = 1 + characterCount(prefix)
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), as: UTF8.self)
        if lineStart == 0, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let bom = lineStart == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        return Diagnostic.Location(file: path, line: line, column: bom ? max(1, column - 1) : column,
                                   sourceLine: text, length: length)
    }

    private func count(of byte: UInt8, before end: Int) -> Int {
        var n = 0
        for i in 0..<end where bytes[i] == byte { n += 1 }
        return n
    }

    /// Characters as a person counts them: one per UTF-8 sequence (an invalid byte counts one).
    private func characterCount(_ slice: UnsafeBufferPointer<UInt8>) -> Int {
        String(decoding: slice, as: UTF8.self).count
    }

    /// A short, printable rendering of the bytes at `offset` for "found …" messages.
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "the end of the line"
        case 0x20..<0x7F: return "'" + String(UnicodeScalar(byte)) + "'"
        default:
            let end = min(bytes.count, offset + 4)
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
            if let first = text.first, first != "\u{FFFD}" { return "'" + String(first) + "'" }
            return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
