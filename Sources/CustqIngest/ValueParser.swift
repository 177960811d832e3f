import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Recognises numbers, booleans, dates and timestamps in field text, straight from bytes.
///
/// Measured on this machine (see the project's PERFORMANCE notes): a hand-written decimal
/// parser costs ~20 ns a value, `Double(String)` ~130 ns plus making the String. The fast
/// path below is exact: a mantissa below 2^53 divided by an exact power of ten is one
/// correctly rounded IEEE operation, so results equal `strtod`, which handles everything else.
enum ValueParser {
    /// Classifies a field. `quoted` fields may hold numbers with thousands separators.
    static func classify(_ field: FieldBytes, quoted: Bool) -> FieldValue {
        let n = field.count
        if n == 0 { return .null }
        let first = field[0]
        if isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            if let value = integer(field) { return .integer(value) }
            if isBigInteger(field) { return .bigInteger }
            if let value = decimal(field) { return .decimal(value) }
            if n == 10, let day = date(field) { return .date(day) }
            if n > 10, let micros = timestamp(field) { return .timestamp(micros) }
            if quoted, let value = groupedNumber(field) { return value }
            return .text
        }
        if let value = boolean(field) { return .boolean(value) }
        return .text
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    /// `[+-]digits` without a leading zero, too long for Int64 (what `integer` turned down).
    static func isBigInteger(_ field: FieldBytes) -> Bool {
        var i = field.count > 0 && (field[0] == UInt8(ascii: "-") || field[0] == UInt8(ascii: "+")) ? 1 : 0
        guard field.count - i >= 19, field[i] != UInt8(ascii: "0") else { return false }
        while i < field.count {
            if !isDigit(field[i]) { return false }
            i += 1
        }
        return true
    }

    /// `[+-]digits`, no leading zeros (so codes such as `00123` stay text), fits in Int64.
    static func integer(_ field: FieldBytes) -> Int64? {
        var i = 0
        var negative = false
        let n = field.count
        if field[0] == UInt8(ascii: "-") || field[0] == UInt8(ascii: "+") {
            negative = field[0] == UInt8(ascii: "-")
            i = 1
        }
        let digitCount = n - i
        if digitCount == 0 || digitCount > 19 { return nil }
        if digitCount > 1 && field[i] == UInt8(ascii: "0") { return nil }
        var value: UInt64 = 0
        if digitCount <= 18 {
            // Up to 18 digits cannot overflow 64 bits: no checks in the loop.
            while i < n {
                let d = field[i] &- 48
                if d >= 10 { return nil }
                value = value &* 10 &+ UInt64(d)
                i += 1
            }
            return negative ? -Int64(value) : Int64(value)
        }
        while i < n {
            let d = field[i] &- 48
            if d >= 10 { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = sum
            i += 1
        }
        if negative {
            if value <= UInt64(Int64.max) { return -Int64(value) }
            if value == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return value <= UInt64(Int64.max) ? Int64(value) : nil
    }

    /// 10^k, exact for k <= 22 (every such power is a double). Computed, not looked up:
    /// a static table costs a lazy-initialisation check and a bounds check per value.
    @inline(__always)
    private static func exactPowerOfTen(_ k: Int) -> Double {
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]` with at least one digit before the exponent.
    static func decimal(_ field: FieldBytes) -> Double? {
        let n = field.count
        var i = 0
        var negative = false
        if field[0] == UInt8(ascii: "-") || field[0] == UInt8(ascii: "+") {
            negative = field[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < n, isDigit(field[i]) {
            mantissa = mantissa &* 10 &+ UInt64(field[i] &- 48)
            i += 1
        }
        let integerDigits = i - integerStart
        // A leading zero before more integer digits marks a code such as 0012.5: keep it text.
        if integerDigits > 1 && field[integerStart] == UInt8(ascii: "0") { return nil }
        var fractionDigits = 0
        if i < n, field[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, isDigit(field[i]) {
                mantissa = mantissa &* 10 &+ UInt64(field[i] &- 48)
                i += 1
            }
            fractionDigits = i - fractionStart
        }
        let digits = integerDigits + fractionDigits
        if digits == 0 { return nil }
        if i == n, digits <= 15 {
            // At most 15 digits: the mantissa is below 2^53 and 10^fractionDigits is exact,
            // so one division gives the correctly rounded value, the same as strtod.
            let magnitude = Double(mantissa) / exactPowerOfTen(fractionDigits)
            return negative ? -magnitude : magnitude
        }
        if i < n, field[i] == UInt8(ascii: "e") || field[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, field[i] == UInt8(ascii: "-") || field[i] == UInt8(ascii: "+") { i += 1 }
            let exponentStart = i
            while i < n, isDigit(field[i]) { i += 1 }
            if i == exponentStart { return nil }
        }
        if i != n { return nil }
        return viaStrtod(field)
    }

    private static func viaStrtod(_ field: FieldBytes) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: field.count + 1) { buffer in
            for i in 0..<field.count { buffer[i] = CChar(bitPattern: field[i]) }
            buffer[field.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + field.count, value.isFinite else { return nil }
            return value
        }
    }

    /// `1,234,567` or `-1,234.50` (groups of three digits), as found in quoted CSV cells.
    static func groupedNumber(_ field: FieldBytes) -> FieldValue? {
        var digits: [UInt8] = []
        digits.reserveCapacity(field.count)
        var i = 0
        if field[0] == UInt8(ascii: "-") || field[0] == UInt8(ascii: "+") {
            digits.append(field[0])
            i = 1
        }
        var groupLength = 0
        var sawComma = false
        var firstGroup = true
        while i < field.count, field[i] != UInt8(ascii: ".") {
            let byte = field[i]
            if byte == UInt8(ascii: ",") {
                if groupLength == 0 || (firstGroup && groupLength > 3) || (!firstGroup && groupLength != 3) { return nil }
                sawComma = true
                firstGroup = false
                groupLength = 0
            } else if isDigit(byte) {
                digits.append(byte)
                groupLength += 1
            } else {
                return nil
            }
            i += 1
        }
        if !sawComma || groupLength != 3 { return nil }
        while i < field.count {
            digits.append(field[i])
            i += 1
        }
        return digits.withUnsafeBufferPointer { buffer in
            let bytes = FieldBytes(base: buffer.baseAddress!, count: buffer.count)
            if let value = integer(bytes) { return .integer(value) }
            if let value = decimal(bytes) { return .decimal(value) }
            return nil
        }
    }

    /// `true false yes no`, any case.
    static func boolean(_ field: FieldBytes) -> Bool? {
        let n = field.count
        guard n >= 2, n <= 5 else { return nil }
        var word: UInt64 = 0
        for i in 0..<n { word = word << 8 | UInt64(field[i] | 0x20) }
        switch word {
        case 0x7472_7565: return true          // true
        case 0x79_6573: return true            // yes
        case 0x66_616C_7365: return false      // false
        case 0x6E6F: return false              // no
        default: return nil
        }
    }

    @inline(__always)
    private static func digits(_ field: FieldBytes, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            let d = field[i] &- 48
            if d >= 10 { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// `YYYY-MM-DD` or `YYYY/MM/DD`, a real calendar day, as days since 1970-01-01.
    static func date(_ field: FieldBytes) -> Int32? {
        guard field.count >= 10 else { return nil }
        let separator = field[4]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/"), field[7] == separator,
              let year = digits(field, 0, 4), let month = digits(field, 5, 2), let day = digits(field, 8, 2),
              month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        return Int32(CivilDate.dayNumber(year: year, month: month, day: day))
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]`, a wall-clock time, as microseconds since
    /// 1970-01-01 00:00 on the same clock.
    static func timestamp(_ field: FieldBytes) -> Int64? {
        let n = field.count
        guard n >= 16, let day = date(field), field[10] == UInt8(ascii: "T") || field[10] == UInt8(ascii: " "),
              let hour = digits(field, 11, 2), field[13] == UInt8(ascii: ":"), let minute = digits(field, 14, 2),
              hour < 24, minute < 60
        else { return nil }
        var i = 16
        var second = 0
        var micros = 0
        if i < n, field[i] == UInt8(ascii: ":") {
            guard i + 3 <= n, let s = digits(field, i + 1, 2), s < 60 else { return nil }
            second = s
            i += 3
            if i < n, field[i] == UInt8(ascii: ".") || field[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 100_000
                let fractionStart = i
                while i < n, isDigit(field[i]) {
                    micros += Int(field[i] &- 48) * scale
                    scale /= 10
                    i += 1
                }
                if i == fractionStart || i - fractionStart > 9 { return nil }
            }
        }
        // A time with its offset from UTC (`Z`, `+08:00`) keeps the offset: the column is
        // read again as text, where every value's offset is kept (TextColumnReading).
        guard i == n else { return nil }
        let secondsOfDay = hour * 3600 + minute * 60 + second
        return Int64(day) * CivilDate.microsecondsPerDay + Int64(secondsOfDay) * 1_000_000 + Int64(micros)
    }
}
