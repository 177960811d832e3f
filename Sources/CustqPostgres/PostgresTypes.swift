import CLibPQ
import CustqStore
import Glibc

/// PostgreSQL's types as custq's, and a result's text values read into typed columns.
/// Whole numbers (int2/int4/int8, oid) are integers; float4/float8 and numeric are decimals
/// (doubles, as custq holds every fraction); bool, date and timestamp keep their kinds
/// (timestamptz read in UTC); anything else is read as its text.
enum PostgresTypes {
    static func columnType(of oid: UInt32) -> ColumnType {
        switch oid {
        case 20, 21, 23, 26: .integer
        case 700, 701, 1700: .decimal
        case 16: .boolean
        case 1082: .date
        case 1114, 1184: .timestamp
        default: .string
        }
    }

    static func emptyColumn(named name: String, _ type: ColumnType) -> Column {
        let values: Column.Values = switch type {
        case .integer: .integer([])
        case .decimal: .decimal([])
        case .boolean: .boolean([])
        case .date: .date([])
        case .timestamp: .timestamp([])
        case .string: .string(StringColumn(storage: .plain(values: StringHeap([]))))
        }
        return Column(name: name, values: values, validity: ValidityBitmap())
    }

    /// The rows of a result as a table of typed columns.
    static func table(of result: OpaquePointer) throws(RowSourceError) -> Table {
        let rows = Int(PQntuples(result)), fields = Int(PQnfields(result))
        var columns: [Column] = []
        for field in 0..<fields {
            let name = String(cString: PQfname(result, Int32(field)))
            let type = columnType(of: PQftype(result, Int32(field)))
            var validity = ValidityBitmap()
            validity.reserveCapacity(rows)
            for row in 0..<rows { validity.append(PQgetisnull(result, Int32(row), Int32(field)) == 0) }
            func text(_ row: Int) -> UnsafeBufferPointer<UInt8> {
                let pointer = PQgetvalue(result, Int32(row), Int32(field))!
                return UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                           count: Int(PQgetlength(result, Int32(row), Int32(field))))
            }
            func parsed<T>(_ empty: T, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) throws(RowSourceError) -> [T] {
                var values = [T](repeating: empty, count: rows)
                for row in 0..<rows where validity.isValid(row) {
                    guard let value = parse(text(row)) else {
                        throw RowSourceError("\(name) holds \(String(decoding: text(row), as: UTF8.self)), which custq cannot hold as a \(type.displayName)")
                    }
                    values[row] = value
                }
                return values
            }
            let values: Column.Values
            switch type {
            case .integer: values = .integer(ValueBuffer(try parsed(0, integer)))
            case .decimal:
                values = .decimal(ValueBuffer(try parsed(0.0) { bytes in
                    let pointer = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var end: UnsafeMutablePointer<CChar>?
                    let value = strtod(pointer, &end)
                    return end.map { UnsafeRawPointer($0) == UnsafeRawPointer(pointer) + bytes.count } == true ? value : nil
                }))
            case .boolean: values = .boolean(ValueBuffer(try parsed(false) { $0.count == 1 ? $0[0] == UInt8(ascii: "t") : nil }))
            case .date: values = .date(ValueBuffer(try parsed(Int32(0), day)))
            case .timestamp: values = .timestamp(ValueBuffer(try parsed(Int64(0), instant)))
            case .string:
                var bytes: [UInt8] = []
                var offsets = [0]
                offsets.reserveCapacity(rows + 1)
                for row in 0..<rows {
                    if validity.isValid(row) { bytes.append(contentsOf: text(row)) }
                    offsets.append(bytes.count)
                }
                values = .string(StringColumn(storage: .plain(values: StringHeap(bytes: ValueBuffer(bytes), offsets: ValueBuffer(offsets)))))
            }
            columns.append(Column(name: name, values: values, validity: validity))
        }
        return Table(name: "result", columns: columns, rowCount: rows)
    }

    /// `-123`: nil when it is not a whole number that fits in 64 bits.
    static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = text.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < text.count else { return nil }
        var value: Int64 = 0
        while index < text.count {
            let digit = text[index] &- 48
            guard digit < 10 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// `2024-02-29` (DateStyle ISO): days since 1970; nil for `infinity` and BC dates.
    static func day(_ text: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              let year = number(text, 0..<4), let month = number(text, 5..<7), let day = number(text, 8..<10),
              (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        return Int32(CivilDate.dayNumber(year: year, month: month, day: day))
    }

    /// `2024-02-29 13:05:00[.123456][+00]` (ISO, UTC): microseconds since 1970.
    static func instant(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard text.count >= 19, let date = day(UnsafeBufferPointer(rebasing: text[0..<10])), text[10] == UInt8(ascii: " "),
              let hour = number(text, 11..<13), let minute = number(text, 14..<16), let second = number(text, 17..<19)
        else { return nil }
        var index = 19
        var micros = 0
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100_000
            while index < text.count, text[index] &- 48 < 10 {
                micros += Int(text[index] &- 48) * scale
                scale /= 10
                index += 1
            }
        }
        // The session's zone is UTC: an instant ends in +00.
        if index < text.count {
            guard text.count - index == 3, text[index] == UInt8(ascii: "+"), text[index + 1] == UInt8(ascii: "0"),
                  text[index + 2] == UInt8(ascii: "0") else { return nil }
        }
        return Int64(date) * CivilDate.microsecondsPerDay + Int64((hour * 60 + minute) * 60 + second) * 1_000_000 + Int64(micros)
    }

    private static func number(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            let digit = text[index] &- 48
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
