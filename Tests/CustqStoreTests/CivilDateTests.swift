import Testing
@testable import CustqStore

@Suite struct CivilDateTests {
    @Test func epochIsDayZero() {
        #expect(CivilDate.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilDate.dayNumber(year: 1969, month: 12, day: 31) == -1)
    }

    @Test func roundTripsEveryDayOverFourCenturies() {
        var day = CivilDate.dayNumber(year: 1800, month: 1, day: 1)
        let end = CivilDate.dayNumber(year: 2200, month: 12, day: 31)
        var expected = (year: 1800, month: 1, day: 1)
        while day <= end {
            let c = CivilDate.components(ofDay: day)
            #expect(c.year == expected.year && c.month == expected.month && c.day == expected.day)
            if c.year != expected.year || c.month != expected.month || c.day != expected.day { return }
            // Advance the expected date by hand.
            expected.day += 1
            if expected.day > CivilDate.daysInMonth(year: expected.year, month: expected.month) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { expected.month = 1; expected.year += 1 }
            }
            day += 1
        }
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeapYear(2024))
        #expect(!CivilDate.isLeapYear(1900))
        #expect(CivilDate.isLeapYear(2000))
        #expect(CivilDate.daysInMonth(year: 2023, month: 2) == 28)
    }

    @Test func isoText() {
        #expect(CivilDate.isoString(ofDay: CivilDate.dayNumber(year: 2024, month: 2, day: 29)) == "2024-02-29")
        #expect(CivilDate.isoString(ofTimestamp: 0) == "1970-01-01 00:00:00")
        #expect(CivilDate.isoString(ofTimestamp: -1) == "1969-12-31 23:59:59.999999")
        #expect(CivilDate.isoString(ofTimestamp: 1_500_000) == "1970-01-01 00:00:01.5")
        // An instant shown at its offset: the local time, then the offset.
        #expect(CivilDate.isoString(ofTimestamp: 1_704_507_658_000_000, offset: -18_000) == "2024-01-05 21:20:58-05:00")
        #expect(CivilDate.isoString(ofTimestamp: 0, offset: 19_800) == "1970-01-01 05:30:00+05:30")
        #expect(CivilDate.day(ofTimestamp: 1_704_507_658_000_000, offset: -18_000) == Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 5)))
        #expect(CivilDate.day(ofTimestamp: 1_704_507_658_000_000) == Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 6)))
        #expect(CivilDate.day(ofTimestamp: -1) == Int32(-1))
    }
}
