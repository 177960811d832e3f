/// A date, or a date and time, as exports write them: `12/1/2010 8:26`, `31/01/2024`,
/// `2024/1/5`, `2024.01.05`, `2024年1月5日 10:15`, `11/20/2024 09:12:33 AM`,
/// `2024-01-05 10:15:02 -0500`. Whether `1/2/2024` is January or February is not decided
/// here: a column decides it from all its values (see `DateOrder`).
public struct WrittenDate: Equatable {
    public enum Shape: Equatable {
        /// `2024-1-5`, `2024/01/05`, `2024.1.5`, `2024年1月5日`: year, month, day.
        case yearFirst
        /// `1/5/2024`, `31.01.2024`: two numbers (month and day in some order), then the year.
        case yearLast
    }

    public var shape: Shape
    /// For `.yearFirst` the month and the day; for `.yearLast` the first and second
    /// numbers as written.
    public var first: Int
    public var second: Int
    public var year: Int
    public var time: Time?

    public struct Time: Equatable {
        public var hour: Int
        public var minute: Int
        public var second: Int
        public var micros: Int
        /// Seconds east of UTC when the value says (`Z`, `-0500`, `+08:00`); nil for a
        /// wall-clock time.
        public var offset: Int?
    }

    private static let yearMark: [UInt8] = Array("年".utf8), monthMark: [UInt8] = Array("月".utf8),
                       dayMark: [UInt8] = Array("日".utf8)

    /// Reads `bytes` as a written date; nil when it is not one (the calendar is checked
    /// once the order of day and month is known).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> WrittenDate? {
        var scanner = ByteScanner(bytes)
        guard let a = scanner.number(maximum: 4) else { return nil }
        var date: WrittenDate
        if a.digits == 4, scanner.take(word: yearMark) {
            scanner.skipSpaces()
            guard let month = scanner.number(maximum: 2), scanner.take(word: monthMark) else { return nil }
            scanner.skipSpaces()
            guard let day = scanner.number(maximum: 2) else { return nil }
            _ = scanner.take(word: dayMark)
            date = WrittenDate(shape: .yearFirst, first: month.value, second: day.value, year: a.value)
        } else {
            guard let separator = scanner.next, separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-")
                    || separator == UInt8(ascii: ".") else { return nil }
            scanner.position += 1
            guard let b = scanner.number(maximum: 2), scanner.take(separator), let c = scanner.number(maximum: 4) else { return nil }
            if a.digits == 4 && c.digits <= 2 {
                date = WrittenDate(shape: .yearFirst, first: b.value, second: c.value, year: a.value)
            } else if a.digits <= 2 && c.digits == 4 {
                date = WrittenDate(shape: .yearLast, first: a.value, second: b.value, year: c.value)
            } else {
                return nil
            }
        }
        if scanner.atEnd { return date }
        // A time: after a space (or ISO's T), `H:MM[:SS[.fraction]]`, then AM/PM, then an offset.
        let spaces = scanner.skipSpaces()
        if spaces == 0, !scanner.take(UInt8(ascii: "T")) { return nil }
        guard let time = parseTime(&scanner), scanner.atEnd else { return nil }
        date.time = time
        return date
    }

    private static let am: [UInt8] = Array("am".utf8), pm: [UInt8] = Array("pm".utf8)

    private static func parseTime(_ scanner: inout ByteScanner) -> Time? {
        guard let hour = scanner.number(maximum: 2), scanner.take(UInt8(ascii: ":")),
              let minute = scanner.number(maximum: 2), minute.digits == 2, minute.value < 60 else { return nil }
        var time = Time(hour: hour.value, minute: minute.value, second: 0, micros: 0, offset: nil)
        if scanner.take(UInt8(ascii: ":")) {
            guard let second = scanner.number(maximum: 2), second.digits == 2, second.value < 60 else { return nil }
            time.second = second.value
            if scanner.take(UInt8(ascii: ".")) {
                guard let fraction = scanner.number(maximum: 9) else { return nil }
                var micros = fraction.value
                var digits = fraction.digits
                while digits < 6 { micros *= 10; digits += 1 }
                while digits > 6 { micros /= 10; digits -= 1 }
                time.micros = micros
            }
        }
        scanner.skipSpaces()
        if scanner.take(word: am) || scanner.take(word: pm) {
            let afternoon = scanner.bytes[scanner.position - 2] | 0x20 == UInt8(ascii: "p")
            guard (1...12).contains(time.hour) else { return nil }
            time.hour = time.hour % 12 + (afternoon ? 12 : 0)
            scanner.skipSpaces()
        } else if time.hour > 23 {
            return nil
        }
        if scanner.atEnd { return time }
        if scanner.take(UInt8(ascii: "Z")) || scanner.take(UInt8(ascii: "z")) {
            time.offset = 0
            return time
        }
        guard let sign = scanner.next, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        scanner.position += 1
        guard let hours = scanner.number(maximum: 2), hours.digits == 2, hours.value <= 14 else { return nil }
        var minutes = 0
        _ = scanner.take(UInt8(ascii: ":"))
        if !scanner.atEnd {
            guard let m = scanner.number(maximum: 2), m.digits == 2, m.value < 60 else { return nil }
            minutes = m.value
        }
        time.offset = (hours.value * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return time
    }

    /// The month and day under `order` (year-first dates are always month then day).
    public func monthAndDay(_ order: DateOrder) -> (month: Int, day: Int) {
        shape == .yearFirst || order == .monthFirst ? (first, second) : (second, first)
    }

    /// Whether the date is a real calendar day read in `order`.
    public func isValid(_ order: DateOrder) -> Bool {
        let (month, day) = monthAndDay(order)
        return year >= 1 && year <= 9999 && (1...12).contains(month) && day >= 1
            && day <= CivilDate.daysInMonth(year: year, month: month)
    }

    /// Days since 1970-01-01 (the date's own calendar day, whatever its time's offset).
    public func day(_ order: DateOrder) -> Int {
        let (month, day) = monthAndDay(order)
        return CivilDate.dayNumber(year: year, month: month, day: day)
    }

    /// The instant written (UTC microseconds, the offset applied) and its offset in seconds
    /// (`Column.noOffset` for a wall-clock time): what a timestamp column stores.
    public func instant(_ order: DateOrder) -> (micros: Int64, offset: Int32) {
        let offset = time?.offset
        return (wallClockMicros(order) - Int64(offset ?? 0) * 1_000_000, offset.map(Int32.init) ?? Column.noOffset)
    }

    /// Microseconds since 1970-01-01T00:00:00 of the wall-clock time written (midnight for a
    /// date alone); the offset, if any, is not applied.
    public func wallClockMicros(_ order: DateOrder) -> Int64 {
        let time = self.time ?? Time(hour: 0, minute: 0, second: 0, micros: 0, offset: nil)
        let seconds = Int64(time.hour * 3600 + time.minute * 60 + time.second)
        return Int64(day(order)) * CivilDate.microsecondsPerDay + seconds * 1_000_000 + Int64(time.micros)
    }
}
