/// A date format the user states (`--type 'Date=date:%d/%m/%Y'`), strptime-style:
/// `%Y` year, `%y` two-digit year (69–99 are 19xx, as POSIX), `%m` month, `%d` day,
/// `%b`/`%B` an English month name, `%H` `%I` `%M` `%S` hour, 12-hour hour, minute,
/// second (`%S` may carry a fraction), `%p` AM/PM, `%z` a UTC offset (`-0500`, `+08:00`,
/// `Z`), `%%` a percent sign. Any other character stands for itself; a space stands for
/// one or more spaces. Numbers may be written without their leading zeros.
public struct DateFormat: Sendable, Equatable, CustomStringConvertible {
    enum Part: Equatable, Sendable {
        case literal(UInt8)
        case space
        case year, shortYear, month, monthName, day, hour, hour12, minute, second, meridiem, offset
    }

    let parts: [Part]
    /// As the user wrote it.
    public let description: String
    /// Whether the format reads a time of day.
    public var hasTime: Bool { parts.contains { [.hour, .hour12, .minute, .second].contains($0) } }

    /// Reads `text`; nil with what is wrong when it is not a format custq can read.
    public init(_ text: String) throws(FormatError) {
        var parts: [Part] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if byte == UInt8(ascii: " ") {
                if parts.last != .space { parts.append(.space) }
                continue
            }
            guard byte == UInt8(ascii: "%") else {
                parts.append(.literal(byte))
                continue
            }
            guard i < bytes.count else { throw FormatError("'\(text)' ends with a lone %") }
            let code = bytes[i]
            i += 1
            switch code {
            case UInt8(ascii: "Y"): parts.append(.year)
            case UInt8(ascii: "y"): parts.append(.shortYear)
            case UInt8(ascii: "m"): parts.append(.month)
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): parts.append(.monthName)
            case UInt8(ascii: "d"), UInt8(ascii: "e"): parts.append(.day)
            case UInt8(ascii: "H"): parts.append(.hour)
            case UInt8(ascii: "I"): parts.append(.hour12)
            case UInt8(ascii: "M"): parts.append(.minute)
            case UInt8(ascii: "S"): parts.append(.second)
            case UInt8(ascii: "p"): parts.append(.meridiem)
            case UInt8(ascii: "z"): parts.append(.offset)
            case UInt8(ascii: "%"): parts.append(.literal(UInt8(ascii: "%")))
            default:
                throw FormatError("%\(Character(Unicode.Scalar(code))) in '\(text)' is not a format custq reads")
            }
        }
        let has = { (part: Part) in parts.contains(part) }
        guard has(.year) || has(.shortYear), has(.month) || has(.monthName), has(.day) else {
            throw FormatError("'\(text)' needs a year (%Y), a month (%m or %b) and a day (%d)")
        }
        if has(.hour12) != has(.meridiem) {
            throw FormatError("'\(text)': a 12-hour hour (%I) goes with AM/PM (%p)")
        }
        self.parts = parts
        description = text
    }

    public struct FormatError: Error, Sendable {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    private static let monthNames: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july",
                                                 "august", "september", "october", "november", "december"].map { Array($0.utf8) }

    /// Reads `bytes` by the format: a date (with its time when the format has one), or nil
    /// when the value does not follow it or is no calendar day.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> WrittenDate? {
        var scanner = ByteScanner(bytes)
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0
        var offset: Int?
        var afternoon: Bool?
        for part in parts {
            switch part {
            case .literal(let byte):
                guard scanner.take(byte) else { return nil }
            case .space:
                guard scanner.skipSpaces() > 0 else { return nil }
            case .year:
                guard let n = scanner.number(maximum: 4), n.digits == 4 else { return nil }
                year = n.value
            case .shortYear:
                guard let n = scanner.number(maximum: 2), n.digits == 2 else { return nil }
                year = n.value + (n.value >= 69 ? 1900 : 2000)
            case .month:
                guard let n = scanner.number(maximum: 2) else { return nil }
                month = n.value
            case .monthName:
                guard let index = Self.monthNames.firstIndex(where: { name in
                    scanner.take(word: name) || scanner.take(word: Array(name.prefix(3)))
                }) else { return nil }
                month = index + 1
            case .day:
                guard let n = scanner.number(maximum: 2) else { return nil }
                day = n.value
            case .hour, .hour12:
                guard let n = scanner.number(maximum: 2) else { return nil }
                hour = n.value
            case .minute:
                guard let n = scanner.number(maximum: 2), n.value < 60 else { return nil }
                minute = n.value
            case .second:
                guard let n = scanner.number(maximum: 2), n.value < 60 else { return nil }
                second = n.value
                if scanner.take(UInt8(ascii: ".")) {
                    guard let fraction = scanner.number(maximum: 9) else { return nil }
                    var value = fraction.value, digits = fraction.digits
                    while digits < 6 { value *= 10; digits += 1 }
                    while digits > 6 { value /= 10; digits -= 1 }
                    micros = value
                }
            case .meridiem:
                if scanner.take(word: Array("am".utf8)) { afternoon = false }
                else if scanner.take(word: Array("pm".utf8)) { afternoon = true }
                else { return nil }
            case .offset:
                if scanner.take(UInt8(ascii: "Z")) || scanner.take(UInt8(ascii: "z")) {
                    offset = 0
                    continue
                }
                guard let sign = scanner.next, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
                scanner.position += 1
                guard let hours = scanner.number(maximum: 2), hours.digits == 2, hours.value <= 14 else { return nil }
                _ = scanner.take(UInt8(ascii: ":"))
                guard let minutes = scanner.number(maximum: 2), minutes.digits == 2, minutes.value < 60 else { return nil }
                offset = (hours.value * 3600 + minutes.value * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        guard scanner.atEnd else { return nil }
        if let afternoon {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (afternoon ? 12 : 0)
        } else if hour > 23 {
            return nil
        }
        var date = WrittenDate(shape: .yearFirst, first: month, second: day, year: year)
        if hasTime || offset != nil {
            date.time = WrittenDate.Time(hour: hour, minute: minute, second: second, micros: micros, offset: offset)
        }
        return date.isValid(.monthFirst) ? date : nil
    }

    /// Whether `bytes` follow the format (an empty field is a null and always fits).
    public func accepts(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.isEmpty || parse(bytes) != nil }
}
