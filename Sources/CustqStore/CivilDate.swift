/// Conversions between proleptic Gregorian calendar dates and day numbers
/// (days since 1970-01-01), the representation of `date` columns.
///
/// The arithmetic follows the well-known era-based civil calendar algorithm
/// (400-year eras of 146,097 days), which is exact for every representable year.
public enum CivilDate {
    /// Day number of year/month/day. The caller has validated the fields.
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month and day of a day number.
    public static func components(ofDay dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The dates custq holds and prints: years 1 to 9999, as SQL engines take them.
    public static let firstDay = Int32(dayNumber(year: 1, month: 1, day: 1))
    public static let lastDay = Int32(dayNumber(year: 9999, month: 12, day: 31))

    public static func representable(day: Int32) -> Bool { day >= firstDay && day <= lastDay }

    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day number of `YYYY-MM-DD` text, if it is a real calendar day.
    public static func dayNumber(isoText text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return dayNumber(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public static func isoString(ofDay dayNumber: Int) -> String {
        let (y, m, d) = components(ofDay: dayNumber)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` for microseconds since the epoch, as a wall-clock
    /// time; with `offset` (seconds east of UTC) the instant is shown at that offset, which
    /// follows it: `2024-01-05 21:20:58-05:00`.
    public static func isoString(ofTimestamp micros: Int64, offset: Int? = nil) -> String {
        let local = micros &+ Int64(offset ?? 0) * 1_000_000
        var days = local / microsecondsPerDay
        var rest = local % microsecondsPerDay
        if rest < 0 {
            days -= 1
            rest += microsecondsPerDay
        }
        let seconds = Int(rest / 1_000_000)
        let fraction = Int(rest % 1_000_000)
        var text = isoString(ofDay: Int(days)) + " " + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        guard let offset else { return text }
        let minutes = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
    }

    /// The day of a timestamp (its own date at `offset`, else its wall-clock date).
    public static func day(ofTimestamp micros: Int64, offset: Int? = nil) -> Int32 {
        let local = micros &+ Int64(offset ?? 0) * 1_000_000
        return Int32(local >= 0 ? local / microsecondsPerDay : -((-local + microsecondsPerDay - 1) / microsecondsPerDay))
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        return value < 0 ? "-" + padded : padded
    }
}
