
struct XMLScan {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) {
        self.bytes = bytes
        position = start
    }

    /// The next tag (skipping comments, processing instructions and declarations); nil at the end.
    mutating func nextTag() -> XMLTag? {
        let n = bytes.count
        while true {
            while position < n, bytes[position] != UInt8(ascii: "<") { position += 1 }
            guard position + 1 < n else { return nil }
            let next = bytes[position + 1]
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "!") {
                // <?xml …?>, <!-- … -->, <![CDATA[ … ]]> (workbooks put no text in CDATA we need).
                let closing: [UInt8] = next == UInt8(ascii: "?") ? Array("?>".utf8)
                    : (position + 3 < n && bytes[position + 2] == UInt8(ascii: "-") ? Array("-->".utf8) : Array(">".utf8))
                guard let end = find(closing, from: position + 2) else { return nil }
                position = end + closing.count
                continue
            }
            var i = position + 1
            let isClosing = bytes[i] == UInt8(ascii: "/")
            if isClosing { i += 1 }
            var nameStart = i
            while i < n, !Self.endsName(bytes[i]) {
                if bytes[i] == UInt8(ascii: ":") { nameStart = i + 1 }
                i += 1
            }
            let name = nameStart..<i
            let attributesStart = i
            // The tag ends at the first '>' outside a quoted attribute value.
            var quote: UInt8 = 0
            while i < n {
                let byte = bytes[i]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                }
                i += 1
            }
            guard i < n else { return nil }
            let isEmpty = bytes[i - 1] == UInt8(ascii: "/")
            position = i + 1
            return XMLTag(name: name, attributes: attributesStart..<(isEmpty ? i - 1 : i), isClosing: isClosing,
                          isEmpty: isEmpty, end: i + 1)
        }
    }

    /// A cell written the plain way, `<c r="B7" s="3" t="s"><v>12</v></c>` or `<c r="B7"/>`.
    struct PlainCell {
        var reference: Range<Int>?
        var type: Range<Int>?
        var style: Range<Int>?
        /// The `<v>` text; nil for an empty cell.
        var value: Range<Int>?
    }

    enum PlainCellScan {
        case cell(PlainCell)
        /// The buffer ends inside the cell.
        case incomplete
    }

    /// Reads the cell at the next tag when it is written the plain way; nil (nothing read)
    /// when the next tag is something else, for `nextTag` to read.
    mutating func plainCell() -> PlainCellScan? {
        let n = bytes.count
        var i = position
        while i < n, bytes[i] != UInt8(ascii: "<") { i += 1 }
        guard i + 2 < n else { return i < n ? .incomplete : nil }
        guard bytes[i + 1] == UInt8(ascii: "c"), bytes[i + 2] == 0x20 || bytes[i + 2] == UInt8(ascii: ">") || bytes[i + 2] == UInt8(ascii: "/") else {
            return nil
        }
        i += 2
        var cell = PlainCell()
        // Attributes, each name="value".
        while true {
            while i < n, bytes[i] == 0x20 { i += 1 }
            guard i < n else { return .incomplete }
            if bytes[i] == UInt8(ascii: ">") { i += 1; break }
            if bytes[i] == UInt8(ascii: "/") {
                guard i + 1 < n else { return .incomplete }
                position = i + 2
                return .cell(cell)
            }
            let nameStart = i
            while i < n, bytes[i] != UInt8(ascii: "=") { i += 1 }
            guard i + 1 < n else { return .incomplete }
            let nameLength = i - nameStart
            let quote = bytes[i + 1]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            let valueStart = i + 2
            i = valueStart
            while i < n, bytes[i] != quote { i += 1 }
            guard i < n else { return .incomplete }
            if nameLength == 1 {
                switch bytes[nameStart] {
                case UInt8(ascii: "r"): cell.reference = valueStart..<i
                case UInt8(ascii: "t"): cell.type = valueStart..<i
                case UInt8(ascii: "s"): cell.style = valueStart..<i
                default: break
                }
            }
            i += 1
        }
        // Content: exactly <v>text</v></c>, else leave it to the general reader.
        guard i + 3 <= n else { return .incomplete }
        guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "v"), bytes[i + 2] == UInt8(ascii: ">") else { return nil }
        let valueStart = i + 3
        i = valueStart
        while i < n, bytes[i] != UInt8(ascii: "<") { i += 1 }
        guard i + 8 <= n else { return .incomplete }
        let closing: [UInt8] = [UInt8(ascii: "<"), UInt8(ascii: "/"), UInt8(ascii: "v"), UInt8(ascii: ">"),
                                UInt8(ascii: "<"), UInt8(ascii: "/"), UInt8(ascii: "c"), UInt8(ascii: ">")]
        for k in 0..<8 where bytes[i + k] != closing[k] { return nil }
        cell.value = valueStart..<i
        position = i + 8
        return .cell(cell)
    }

    static func endsName(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }

    /// Whether the tag's name is `name` (ASCII).
    func named(_ tag: XMLTag, _ name: StaticString) -> Bool {
        guard tag.name.count == name.utf8CodeUnitCount else { return false }
        let pointer = name.utf8Start
        for k in 0..<tag.name.count where bytes[tag.name.lowerBound + k] != pointer[k] { return false }
        return true
    }

    /// The value of attribute `name` (`r`, `t`, `s`; a prefix is not part of the name: `r:id`
    /// is `id`), as a byte range.
    func attribute(_ tag: XMLTag, _ name: StaticString) -> Range<Int>? {
        let pointer = name.utf8Start, length = name.utf8CodeUnitCount
        var i = tag.attributes.lowerBound
        let end = tag.attributes.upperBound
        while i < end {
            while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            var nameStart = i
            while i < end, bytes[i] != UInt8(ascii: "="), bytes[i] != 0x20 {
                if bytes[i] == UInt8(ascii: ":") { nameStart = i + 1 }   // r:id is id
                i += 1
            }
            let nameEnd = i
            while i < end, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < end else { return nil }
            let quote = bytes[i]
            let valueStart = i + 1
            i = valueStart
            while i < end, bytes[i] != quote { i += 1 }
            let valueEnd = i
            i += 1
            if nameEnd - nameStart == length, (0..<length).allSatisfy({ bytes[nameStart + $0] == pointer[$0] }) {
                return valueStart..<valueEnd
            }
        }
        return nil
    }

    func string(_ range: Range<Int>) -> String {
        Self.decoded(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    func integer(_ range: Range<Int>) -> Int? {
        var value = 0
        guard !range.isEmpty else { return nil }
        for i in range {
            let digit = bytes[i] &- 48
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    func find(_ needle: [UInt8], from start: Int) -> Int? {
        let n = bytes.count
        guard let first = needle.first, needle.count <= n else { return nil }
        var i = start
        while i + needle.count <= n {
            if bytes[i] == first, (1..<needle.count).allSatisfy({ bytes[i + $0] == needle[$0] }) { return i }
            i += 1
        }
        return nil
    }

    /// Text with `&amp;`-style entities, `&#…;` references and OOXML's `_x000D_` escapes decoded.
    static func decoded(_ text: UnsafeBufferPointer<UInt8>) -> String {
        guard text.contains(UInt8(ascii: "&")) || text.contains(UInt8(ascii: "_")) else { return String(decoding: text, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        let n = text.count
        while i < n {
            let byte = text[i]
            if byte == UInt8(ascii: "&"), let semicolon = (i + 1..<min(n, i + 12)).first(where: { text[$0] == UInt8(ascii: ";") }) {
                let entity = String(decoding: UnsafeBufferPointer(rebasing: text[(i + 1)..<semicolon]), as: UTF8.self)
                var scalar: Unicode.Scalar?
                switch entity {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                    else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
                }
                if let scalar {
                    out.append(contentsOf: String(scalar).utf8)
                    i = semicolon + 1
                    continue
                }
            }
            // _xHHHH_: a character XML cannot hold (a carriage return in a cell).
            if byte == UInt8(ascii: "_"), i + 6 < n, text[i + 1] == UInt8(ascii: "x"), text[i + 6] == UInt8(ascii: "_"),
               let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: text[(i + 2)..<(i + 6)]), as: UTF8.self), radix: 16),
               let scalar = Unicode.Scalar(code) {
                out.append(contentsOf: String(scalar).utf8)
                i += 7
                continue
            }
            out.append(byte)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
