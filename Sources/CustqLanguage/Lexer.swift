import CustqDiagnostics

/// Splits a statement into tokens. Works on UTF-8 bytes; positions are byte offsets.
public struct Lexer {
    let source: String
    let bytes: [UInt8]

    public init(_ source: String) {
        self.source = source
        bytes = Array(source.utf8)
    }

    public func tokens() throws(LanguageError) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = bytes.count
        while true {
            // Skip spaces and `--` comments.
            while i < n {
                if bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                    i += 1
                } else if bytes[i] == UInt8(ascii: "-"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "-") {
                    while i < n, bytes[i] != 0x0A { i += 1 }
                } else {
                    break
                }
            }
            guard i < n else {
                tokens.append(Token(.end, SourceRange(n, n), ""))
                return tokens
            }
            let start = i
            let byte = bytes[i]
            if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && i + 1 < n && Self.isDigit(bytes[i + 1])) {
                let token = try number(at: &i)
                tokens.append(token)
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                tokens.append(try string(at: &i, quote: byte))
            } else if byte == UInt8(ascii: "`") {
                i += 1
                let nameStart = i
                while i < n, bytes[i] != UInt8(ascii: "`") { i += 1 }
                guard i < n else {
                    throw LanguageError("this backtick is never closed", SourceRange(start, start + 1),
                                        help: "names with spaces are written in backticks: `annual revenue`")
                }
                let name = text(nameStart, i)
                i += 1
                guard !name.isEmpty else { throw LanguageError("empty name in backticks", SourceRange(start, i)) }
                tokens.append(Token(.quotedName(name), SourceRange(start, i), text(start, i)))
            } else if Self.startsWord(byte) {
                while i < n, Self.continuesWord(bytes[i]) { i += 1 }
                let word = text(start, i)
                tokens.append(Token(.word(word), SourceRange(start, i), word))
            } else if let symbol = Self.symbol(bytes, at: i) {
                i += symbol.utf8.count
                tokens.append(Token(.symbol(symbol == "<>" ? "!=" : symbol), SourceRange(start, i), symbol))
            } else {
                let character = String(decoding: bytes[start..<min(n, start + Self.sequenceLength(byte))], as: UTF8.self)
                throw LanguageError("unexpected character '\(character)'", SourceRange(start, start + character.utf8.count))
            }
        }
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, `_`, and any non-ASCII character (so 华东 and café are words).
    static func startsWord(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func continuesWord(_ byte: UInt8) -> Bool { startsWord(byte) || isDigit(byte) }

    static func sequenceLength(_ byte: UInt8) -> Int {
        byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    }

    static let symbols = ["||", "!=", "<>", "<=", ">=", "+", "-", "*", "/", "%", "=", "<", ">", "(", ")", ",", ";", "."]

    static func symbol(_ bytes: [UInt8], at i: Int) -> String? {
        for symbol in symbols {
            let utf8 = Array(symbol.utf8)
            if i + utf8.count <= bytes.count, Array(bytes[i..<(i + utf8.count)]) == utf8 { return symbol }
        }
        return nil
    }

    /// Numbers, with `k`/`m` suffixes and `%`, and dates written `YYYY-MM-DD`.
    private func number(at i: inout Int) throws(LanguageError) -> Token {
        let start = i
        let n = bytes.count
        // A date: four digits, '-', two digits, '-', two digits, not followed by a word character.
        if i + 10 <= n, (0..<4).allSatisfy({ Self.isDigit(bytes[i + $0]) }), bytes[i + 4] == UInt8(ascii: "-"),
           Self.isDigit(bytes[i + 5]), Self.isDigit(bytes[i + 6]), bytes[i + 7] == UInt8(ascii: "-"),
           Self.isDigit(bytes[i + 8]), Self.isDigit(bytes[i + 9]), i + 10 == n || !Self.continuesWord(bytes[i + 10]) {
            let year = Int(text(i, i + 4))!, month = Int(text(i + 5, i + 7))!, day = Int(text(i + 8, i + 10))!
            i += 10
            guard month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else {
                throw LanguageError("'\(text(start, i))' is not a calendar date", SourceRange(start, i),
                                    help: "dates are written YYYY-MM-DD, e.g. 2024-01-31")
            }
            return Token(.date(CivilCalendar.dayNumber(year: year, month: month, day: day)), SourceRange(start, i), text(start, i))
        }
        var isInteger = true
        while i < n, Self.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        if i < n, bytes[i] == UInt8(ascii: "."), i + 1 < n, Self.isDigit(bytes[i + 1]) {
            isInteger = false
            i += 1
            while i < n, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e"), i + 1 < n,
           Self.isDigit(bytes[i + 1]) || ((bytes[i + 1] == UInt8(ascii: "-") || bytes[i + 1] == UInt8(ascii: "+")) && i + 2 < n && Self.isDigit(bytes[i + 2])) {
            isInteger = false
            i += 2
            while i < n, Self.isDigit(bytes[i]) { i += 1 }
        }
        let digits = text(start, i).replacingUnderscores
        guard var value = Double(digits) else {
            throw LanguageError("'\(text(start, i))' is not a number", SourceRange(start, i))
        }
        var scale = 1.0
        if i < n {
            switch bytes[i] | 0x20 {
            case UInt8(ascii: "k"): scale = 1_000
            case UInt8(ascii: "m"): scale = 1_000_000
            case UInt8(ascii: "b"): scale = 1_000_000_000
            default: break
            }
            if scale != 1 {
                if i + 1 < n, Self.continuesWord(bytes[i + 1]) {
                    scale = 1
                } else {
                    i += 1
                }
            } else if bytes[i] == UInt8(ascii: "%") {
                // `20%` means 0.2; `10 % 3` (with a space) is the remainder operator.
                scale = 0.01
                isInteger = false
                i += 1
            }
        }
        if i < n, Self.continuesWord(bytes[i]) {
            var end = i
            while end < n, Self.continuesWord(bytes[end]) { end += 1 }
            throw LanguageError("'\(text(start, end))' is not a number or a name", SourceRange(start, end),
                                help: "names start with a letter; numbers may end in k, m or %")
        }
        value *= scale
        // `1.5m` is the whole number 1,500,000; `2.0` and `20%` stay decimals.
        if scale > 1, value.rounded() == value { isInteger = true }
        if isInteger, value.rounded() != value || abs(value) >= 9.2e18 { isInteger = false }
        return Token(.number(value, isInteger: isInteger), SourceRange(start, i), text(start, i))
    }

    /// `'it''s'` or `"say ""hi"""`: the quote doubled stands for itself.
    private func string(at i: inout Int, quote: UInt8) throws(LanguageError) -> Token {
        let start = i
        i += 1
        var value: [UInt8] = []
        while i < bytes.count {
            if bytes[i] == quote {
                if i + 1 < bytes.count, bytes[i + 1] == quote {
                    value.append(quote)
                    i += 2
                    continue
                }
                i += 1
                return Token(.string(String(decoding: value, as: UTF8.self)), SourceRange(start, i), text(start, i))
            }
            value.append(bytes[i])
            i += 1
        }
        throw LanguageError("this quote is never closed", SourceRange(start, start + 1),
                            help: "end the text with \(quote == UInt8(ascii: "'") ? "'" : "\""); a quote inside is written twice")
    }
}

private extension String {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
