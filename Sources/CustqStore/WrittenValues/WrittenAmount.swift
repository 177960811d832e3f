/// A number as exports write amounts: `¥1,234.50`, `$1,450,000.50`, `-$5.00`, `(1,234.00)`,
/// `1,234.50 元`, `€12.50`, `R$ 1.234,56`, `1.234,56` (a decimal comma), `25%`, `12.5 %`.
public struct WrittenAmount: Equatable {
    public var value: Double
    /// The currency as written (`$`, `¥`, `元`, `R$`, `EUR`…), nil when none is.
    public var symbol: String?
    /// Whether the symbol follows the number (`1,234.50 元`).
    public var symbolAfter = false
    public var isPercent = false
    /// Whether the text holds anything a plain number does not: a symbol, a percent sign,
    /// a thousands separator, accounting parentheses or a decimal comma.
    public var isMarked = false

    /// Which mark ends the whole part.
    public enum Style: Equatable {
        /// `1,234.56`
        case decimalPoint
        /// `1.234,56` (and `1 234,56`)
        case decimalComma
    }

    /// Currencies by how they are written, longest first, each with the symbol that stands
    /// for the currency when a column writes it in more than one way (`￥` and `元` are `¥`).
    public static let currencies: [(written: String, currency: String)] = [
        ("US$", "$"), ("CN¥", "¥"), ("JP¥", "円"), ("HK$", "HK$"), ("R$", "R$"), ("A$", "A$"), ("C$", "C$"),
        ("USD", "$"), ("CNY", "¥"), ("RMB", "¥"), ("EUR", "€"), ("GBP", "£"), ("JPY", "円"), ("BRL", "R$"),
        ("HKD", "HK$"), ("AUD", "A$"), ("CAD", "C$"), ("INR", "₹"), ("KRW", "₩"), ("CHF", "CHF"),
        ("$", "$"), ("¥", "¥"), ("￥", "¥"), ("元", "¥"), ("€", "€"), ("£", "£"), ("₹", "₹"), ("₩", "₩"), ("円", "円"),
    ].map { ($0.0, $0.1) }
    private static let currencyBytes: [([UInt8], String)] = currencies.map { (Array($0.written.utf8), $0.written) }

    /// The currency a written symbol stands for.
    public static func currency(of written: String) -> String {
        currencies.first { $0.written == written }?.currency ?? written
    }

    private static let fullWidthPercent: [UInt8] = Array("％".utf8)

    /// Reads `bytes` in `style`; nil when it is not an amount. Codes with leading zeros
    /// (`01151`) are not amounts, nor are numbers of more than 15 digits (a double would
    /// round them).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, style: Style) -> WrittenAmount? {
        var scanner = ByteScanner(bytes)
        var amount = WrittenAmount(value: 0)
        var negative = false
        let parenthesised = scanner.take(UInt8(ascii: "("))
        if parenthesised { scanner.skipSpaces() }
        if scanner.take(UInt8(ascii: "-")) { negative = true } else { _ = scanner.take(UInt8(ascii: "+")) }
        if let symbol = takeSymbol(&scanner) {
            amount.symbol = symbol
            scanner.skipSpaces()
            if !negative, scanner.take(UInt8(ascii: "-")) { negative = true }
        }
        // Digits, in groups of three after the first when separators are used.
        let thousands = style == .decimalPoint ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let decimalMark = style == .decimalPoint ? UInt8(ascii: ".") : UInt8(ascii: ",")
        var digits: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        var significant = 0
        let wholeStart = scanner.position
        var grouped = false
        if let first = scanner.number(maximum: 30) {
            if first.digits > 1, bytes[wholeStart] == UInt8(ascii: "0") { return nil }   // a code such as 0012
            digits.append(contentsOf: bytes[wholeStart..<scanner.position])
            significant += first.digits
            // Thousands separators: the delimiter style's mark, or a (no-break) space.
            while true {
                let mark = scanner.position
                let isSpace = mark < scanner.end && ByteScanner.isSpace(bytes, at: mark)
                guard mark < scanner.end, bytes[mark] == thousands || isSpace else { break }
                scanner.position += isSpace ? ByteScanner.spaceLength(bytes, at: mark) : 1
                let groupStart = scanner.position
                guard let group = scanner.number(maximum: 3), group.digits == 3,
                      scanner.atEnd || !ByteScanner.isDigit(bytes[scanner.position]) else {
                    scanner.position = mark   // not a group (a space before a symbol, say)
                    break
                }
                if first.digits > 3 { return nil }
                digits.append(contentsOf: bytes[groupStart..<scanner.position])
                significant += 3
                grouped = true
            }
        } else if scanner.next != decimalMark {
            return nil
        }
        if scanner.take(decimalMark) {
            let fractionStart = scanner.position
            guard let fraction = scanner.number(maximum: 30) else { return nil }
            digits.append(UInt8(ascii: "."))
            digits.append(contentsOf: bytes[fractionStart..<scanner.position])
            significant += fraction.digits
            if style == .decimalComma { amount.isMarked = true }
        }
        guard significant > 0, significant <= 15 else { return nil }
        scanner.skipSpaces()
        if amount.symbol == nil, let symbol = takeSymbol(&scanner) {
            amount.symbol = symbol
            amount.symbolAfter = true
            scanner.skipSpaces()
        }
        if scanner.take(UInt8(ascii: "%")) || scanner.take(word: fullWidthPercent) {
            guard amount.symbol == nil else { return nil }
            amount.isPercent = true
            scanner.skipSpaces()
        }
        if parenthesised {
            guard !negative, scanner.take(UInt8(ascii: ")")) else { return nil }
            digits.insert(UInt8(ascii: "-"), at: 0)
        }
        guard scanner.atEnd else { return nil }
        amount.isMarked = amount.isMarked || grouped || parenthesised || amount.symbol != nil || amount.isPercent
        guard let value = Self.value(of: digits, percent: amount.isPercent) else { return nil }
        amount.value = value
        return amount
    }

    /// A currency symbol or code at the scanner, if one is there.
    private static func takeSymbol(_ scanner: inout ByteScanner) -> String? {
        for (bytes, written) in currencyBytes where scanner.take(word: bytes) {
            // A code is a word of its own: `USD 5`, `5 EUR`, not the start of other text.
            if ByteScanner.isLetter(bytes[0]), let next = scanner.next, ByteScanner.isLetter(next) {
                scanner.position -= bytes.count
                continue
            }
            return written
        }
        return nil
    }

    /// The value of `[-]digits[.digits]`, divided by 100 for a percentage: one correctly
    /// rounded division of exact numbers, so `7%` is the double nearest 0.07.
    private static func value(of text: [UInt8], percent: Bool) -> Double? {
        var mantissa: UInt64 = 0
        var scale = percent ? 2 : 0
        var negative = false, afterPoint = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): afterPoint = true
            default:
                mantissa = mantissa * 10 + UInt64(byte - 48)
                if afterPoint { scale += 1 }
            }
        }
        guard scale <= 22 else { return nil }
        var power = 1.0
        for _ in 0..<scale { power *= 10 }
        let magnitude = Double(mantissa) / power
        return negative ? -magnitude : magnitude
    }
}
