/// Turns a byte offset in a typed statement into a location people read: line, column
/// (in characters) and the text of that line.
public enum SourceLocator {
    public static func location(of offset: Int, length: Int, in source: String, file: String?,
                                firstLine: Int? = nil) -> Diagnostic.Location {
        let bytes = Array(source.utf8)
        let offset = max(0, min(offset, bytes.count))
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        let lineIndex = bytes[0..<lineStart].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        let end = min(bytes.count, offset + max(1, length))
        let characters = max(1, String(decoding: bytes[offset..<min(end, max(offset, lineEnd))], as: UTF8.self).count)
        let multiLine = source.contains("\n")
        let line: Int? = firstLine.map { $0 + lineIndex } ?? (multiLine ? lineIndex + 1 : nil)
        return Diagnostic.Location(file: file, line: line, column: column,
                                   sourceLine: String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self),
                                   length: characters)
    }
}
