import CustqStore
import Testing
@testable import CustqPostgres

/// How the live mode reads PostgreSQL's text values (DateStyle ISO, TimeZone UTC).
struct PostgresTypesTests {
    private func read<T>(_ text: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        Array(text.utf8).withUnsafeBufferPointer(parse)
    }

    @Test func wholeNumbersAreReadToTheEdgesOf64BitsAndNoFurther() {
        #expect(read("9223372036854775807", PostgresTypes.integer) == Int64.max)
        #expect(read("-9223372036854775808", PostgresTypes.integer) == Int64.min)
        #expect(read("9223372036854775808", PostgresTypes.integer) == nil)
        #expect(read("-", PostgresTypes.integer) == nil)
        #expect(read("12a", PostgresTypes.integer) == nil)
    }

    @Test func datesAreISOAndInfinityIsNoDate() {
        #expect(read("2024-02-29", PostgresTypes.day) == Int32(CivilDate.dayNumber(year: 2024, month: 2, day: 29)))
        #expect(read("2023-02-29", PostgresTypes.day) == nil)
        #expect(read("infinity", PostgresTypes.day) == nil)
        #expect(read("0044-03-15 BC", PostgresTypes.day) == nil)
    }

    @Test func instantsKeepTheirMicrosecondsAndMustBeInUTC() {
        let day = Int64(CivilDate.dayNumber(year: 2024, month: 1, day: 5)) * CivilDate.microsecondsPerDay
        #expect(read("2024-01-05 21:20:58", PostgresTypes.instant) == day + (21 * 3600 + 20 * 60 + 58) * 1_000_000)
        #expect(read("2024-01-05 00:00:00.25+00", PostgresTypes.instant) == day + 250_000)
        #expect(read("2024-01-05 00:00:00+05", PostgresTypes.instant) == nil)
    }

    @Test func typesFollowTheirOIDs() {
        #expect(PostgresTypes.columnType(of: 20) == .integer)
        #expect(PostgresTypes.columnType(of: 1700) == .decimal)
        #expect(PostgresTypes.columnType(of: 16) == .boolean)
        #expect(PostgresTypes.columnType(of: 1082) == .date)
        #expect(PostgresTypes.columnType(of: 1184) == .timestamp)
        #expect(PostgresTypes.columnType(of: 2950) == .string)   // uuid, as its text
    }
}
