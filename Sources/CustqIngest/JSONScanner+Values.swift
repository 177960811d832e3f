import CustqDiagnostics
import CustqStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Values: strings, numbers, literals and nested values, each into its column's builder.
extension JSONScanner {
    mutating func value(into column: Int, source: SourceText) throws(Diagnostic) {
        let start = position
        let (value, text) = try readValue(source: source)
        guard wanted(column) else { return }
        let (accepted, becameText) = builderRefs[column]._withUnsafeGuaranteedRef { builder in
            let hadText = builder.firstTextRow != nil
            let accepted = builder.append(value, text: text)
            return (accepted, !hadText && builder.firstTextRow != nil)
        }
        if !accepted {
            let builder = builders[column]
            throw LoadErrors.notOfDeclaredType(source.location(at: start), value: String(decoding: text.buffer, as: UTF8.self),
                                               column: builder.name, type: builder.declaredDescription)
        }
        if rereading == nil, becameText { textRowStarts[builders[column].name] = start }
    }

    /// Reads one value: what it is, and its text (a string's content, else as written).
    mutating func readValue(source: SourceText) throws(Diagnostic) -> (FieldValue, FieldBytes) {
        let start = position
        let value: FieldValue
        let text: FieldBytes
        switch peek {
        case UInt8(ascii: "\""):
            let content = try string(source: source)
            text = FieldBytes(base: content.baseAddress ?? bytes.baseAddress!, count: content.count)
            value = Self.classifyString(text)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipNested(source: source)
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            value = .text
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = literal()
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            switch word {
            case "true": value = .boolean(true)
            case "false": value = .boolean(false)
            case "null": value = .null
            default:
                position = start
                throw error(expected: "a value", source: source)
            }
        default:
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            guard text.count > 0, let number = Self.number(text) else {
                if text.count > 0, Self.isOutOfRange(text) {
                    throw LoadErrors.numberOutOfRange(source.location(at: start, length: text.count),
                                                      text: String(decoding: text.buffer, as: UTF8.self))
                }
                position = start
                throw error(expected: "a value", source: source)
            }
            value = number
        }
        return (value, text)
    }

    /// Checks a record of a lenient load before any of it is taken: that it is one object on
    /// its line, keys once each, values that fit any declared type, valid UTF-8. A record
    /// that fails is skipped whole, so it adds no column and changes no column's type.
    mutating func validate(source: SourceText) throws(Diagnostic) {
        let start = position
        defer { position = start }
        guard peek == UInt8(ascii: "{") else {
            throw LoadErrors.jsonNotObject(source.location(at: position), found: found(source))
        }
        position += 1
        skipWhitespace()
        var keys: Set<[UInt8]> = []
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error(expected: "a key in quotes", source: source) }
                let keyStart = position
                let key = Array(try string(source: source))
                guard keys.insert(key).inserted else {
                    throw LoadErrors.duplicateKey(source.location(at: keyStart), key: String(decoding: key, as: UTF8.self))
                }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after a key", source: source) }
                position += 1
                skipWhitespace()
                let valueStart = position
                let (value, text) = try readValue(source: source)
                let name = String(decoding: key, as: UTF8.self).lowercased()
                if let format = options.format(of: name) {
                    if case .null = value {} else if !format.accepts(text.buffer) {
                        throw error(expected: "a date written \(format)", source: source, at: valueStart)
                    }
                } else if let declared = options.columnTypes.first(where: { $0.key.lowercased() == name })?.value,
                   !ColumnBuilder.fits(value, declared: declared) {
                    throw error(expected: "a \(declared.displayName)", source: source, at: valueStart)
                }
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                if peek == UInt8(ascii: "}") { position += 1; break }
                throw error(expected: "',' or '}' after a value", source: source)
            }
        }
        try requireLineEnd(source: source)
        if let bad = utf8.firstInvalid(from: start, to: position) {
            throw LoadErrors.invalidUTF8(source.location(at: bad), byte: bytes[bad])
        }
    }

    /// JSON has no date type: strings that read as dates or timestamps become them.
    static func classifyString(_ text: FieldBytes) -> FieldValue {
        if text.count >= 10, ValueParser.isDigit(text[0]) {
            if text.count == 10, let day = ValueParser.date(text) { return .date(day) }
            if let micros = ValueParser.timestamp(text) { return .timestamp(micros) }
        }
        return .text
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        ValueParser.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    static func number(_ text: FieldBytes) -> FieldValue? {
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: ".") { return nil }
        // JSON wants a digit after a decimal point (`1.` is not a number).
        for i in 0..<text.count where text[i] == UInt8(ascii: ".") {
            if i + 1 >= text.count || !ValueParser.isDigit(text[i + 1]) { return nil }
        }
        if let value = ValueParser.integer(text) { return .integer(value) }
        if ValueParser.isBigInteger(text) { return .bigInteger }
        if text.count > 1, text[0] == UInt8(ascii: "-"), text[1] == UInt8(ascii: ".") { return nil }
        if let value = ValueParser.decimal(text) { return .decimal(value) }
        // JSON allows -0 and 0.5 but not 007; ValueParser rejects leading zeros on purpose.
        return nil
    }

    /// A number whose value a double cannot hold (`1e400`): all of it reads as a number,
    /// and that number is infinite.
    static func isOutOfRange(_ text: FieldBytes) -> Bool {
        let bytes = Array(text.buffer).map { CChar(bitPattern: $0) } + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return value.isInfinite && end == UnsafeMutablePointer(mutating: buffer.baseAddress! + text.count)
        }
    }

    mutating func literal() -> String {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "a"), bytes[position] <= UInt8(ascii: "z"),
              position - start < 5 { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads a quoted string, returning its bytes with escapes decoded (into scratch when
    /// there are escapes, else straight from the input).
    mutating func string(source: SourceText) throws(Diagnostic) -> UnsafeBufferPointer<UInt8> {
        let open = position
        position += 1
        let start = position
        position = Self.nextSpecialByte(in: bytes, from: position)
        if position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
            }
            if byte < 0x20 { throw error(expected: "a character or '\"' (control characters must be escaped)", source: source) }
        }
        scratch.removeAll()
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return scratch.buffer
            }
            if byte < 0x20 { throw error(expected: "a character or '\"' (control characters must be escaped)", source: source) }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(source: source)
                if (0xD800...0xDBFF).contains(scalar), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4(source: source)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position -= 6
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                for unit in String(character).utf8 { scratch.append(unit) }
            default:
                position -= 1
                throw error(expected: "an escape such as \\n, \\\" or \\u00e9 after '\\'", source: source)
            }
        }
        position = open
        throw LoadErrors.json(source.location(at: open), expected: "a closing '\"' for this string", found: "the end of the file")
    }

    mutating func hex4(source: SourceText) throws(Diagnostic) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw error(expected: "four hex digits after \\u", source: source) }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error(expected: "four hex digits after \\u", source: source)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// First offset at or after `start` holding `"`, `\\` or a control character (or the
    /// end), eight bytes per step: strings are most of a JSON file's bytes.
    @inline(__always)
    static func nextSpecialByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = UInt64(UInt8(ascii: "\"")) &* ones
        let backslashes = UInt64(UInt8(ascii: "\\")) &* ones
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let n = bytes.count
        var i = start
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let q = word ^ quotes, b = word ^ backslashes
            // Zero bytes of q and b, and bytes below 0x20 in word; the lowest flag is exact.
            let found = ((q &- ones) & ~q | (b &- ones) & ~b | (word &- 0x2020_2020_2020_2020) & ~word) & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return i }
            i += 1
        }
        return n
    }

    /// Skips a nested object or array, checking its brackets balance.
    mutating func skipNested(source: SourceText) throws(Diagnostic) {
        var stack: [UInt8] = []
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                // The record itself is the first level.
                if stack.count + 1 > JSONReader.maxDepth { throw LoadErrors.tooDeep(source.location(at: position)) }
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack.last == byte else {
                    throw error(expected: stack.last.map { "'\(String(UnicodeScalar($0)))'" } ?? "a value", source: source)
                }
                stack.removeLast()
                position += 1
                if stack.isEmpty { return }
            case UInt8(ascii: "\""):
                _ = try string(source: source)
            default:
                position += 1
            }
        }
        position = start
        throw LoadErrors.json(source.location(at: start), expected: "the end of this nested value", found: "the end of the file")
    }
}
