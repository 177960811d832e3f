/// Part of a statement as a result names it: the text as written, except that a name in
/// backticks is shown without them (`` sum `annual revenue` `` heads its column
/// `sum annual revenue`, so CSV and JSON exports get the header people expect).
public enum DisplayText {
    public static func of(_ range: SourceRange, in source: String) -> String {
        let bytes = Array(source.utf8)
        guard range.start >= 0, range.end <= bytes.count, range.start <= range.end else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(range.length)
        var quote: UInt8?
        for byte in bytes[range.start..<range.end] {
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "`") {
                continue
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
