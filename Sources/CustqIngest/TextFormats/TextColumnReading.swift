import CustqDiagnostics
import CustqStore

/// Reads again a column that loaded as text, looking at all its values: dates and times
/// as exports write them, money, percentages, yes/no words. A column becomes one of these
/// only when every value fits; the decision is said (`reading`) and, when the values
/// leave a choice open (is `1/2/2024` January or February?), how it was made and how to
/// make the other (`guess`).
///
/// Works on the column's distinct values when it is dictionary-encoded, and stops at the
/// first value that fits nothing, so names and comments cost next to nothing.
struct TextColumnReading {
    /// The column as it should be.
    var column: Column
    /// What custq decided, for `.schema` and the load message: `dates written month/day/year`.
    var reading: String
    /// Said when the values allowed another reading: what custq chose and how to choose otherwise.
    var guess: String?

    /// What a text column turned out to hold, or why it stays text.
    enum Outcome {
        case read(TextColumnReading)
        /// Stays text, with a warning (amounts in several currencies).
        case staysText(warning: String)
    }

    /// `preferredStyle`: how the file writes decimals when values allow both (`;`-separated
    /// files use a decimal comma).
    static func read(_ column: Column, preferredStyle: WrittenAmount.Style) -> Outcome? {
        guard case .string(let strings) = column.values else { return nil }
        var survey = Survey()
        let finished = forEachDistinct(strings, validity: column.validity) { bytes in survey.take(bytes) }
        guard finished, survey.values > 0 else { return nil }
        if let reading = survey.booleans(column) { return .read(reading) }
        if let reading = survey.dates(column) { return .read(reading) }
        return survey.amounts(column, preferred: preferredStyle)
    }

    /// A column read by a stated format: every value follows it (the reader checked each
    /// as it loaded). A timestamp keeps its offset when the format reads one.
    static func stated(_ column: Column, format: DateFormat, as type: ColumnType) -> Column {
        var result = written(column, timestamps: type == .timestamp, order: .monthFirst, format.parse)
        result.reading = "\(type.displayName)s written \(format) (stated)"
        return result
    }

    /// The column's text as dates, or as timestamps keeping the offsets written, by `parse`
    /// (a value it gives nothing for is null). A date taken from a time with an offset is the
    /// local day written.
    static func written(_ column: Column, timestamps: Bool, order: DateOrder,
                        _ parse: (UnsafeBufferPointer<UInt8>) -> WrittenDate?) -> Column {
        var result = column
        if timestamps {
            let (values, validity) = converted(column) { bytes in parse(bytes)?.instant(order) }
            result.values = .timestamp(ValueBuffer(values.map { $0?.micros ?? 0 }))
            let offsets = values.map { $0?.offset ?? Column.noOffset }
            result.offsets = offsets.contains { $0 != Column.noOffset } ? ValueBuffer(offsets) : nil
            result.validity = validity
        } else {
            let (values, validity) = converted(column) { bytes in parse(bytes).map { Int32($0.day(order)) } }
            result.values = .date(ValueBuffer(values.map { $0 ?? 0 }))
            result.validity = validity
        }
        return result
    }

    /// Calls `body` with each distinct non-empty value (each row's, for plain storage)
    /// until it returns false; whether every value was seen.
    /// For a column that stays text: when nearly all its values are dates (`TBD` among
    /// them), a warning saying so and how to read the dates, so it is not a silent string.
    /// Dates must be at least two in three; it looks at most at the first 10,000 distinct
    /// values and gives up once a third of those seen are not dates.
    static func mostlyDates(_ column: Column) -> String? {
        guard case .string(let strings) = column.values else { return nil }
        var dates = 0, others = 0
        var firstOther: String?
        _ = forEachDistinct(strings, validity: column.validity) { bytes in
            if let date = WrittenDate.parse(bytes), date.isValid(.monthFirst) || date.isValid(.dayFirst) {
                dates += 1
            } else {
                others += 1
                if firstOther == nil { firstOther = String(decoding: bytes, as: UTF8.self) }
            }
            return dates + others < 10_000 && (dates + others < 20 || others * 3 < dates + others)
        }
        guard dates >= 2, others > 0, others * 2 <= dates, let firstOther else { return nil }
        return "column '\(column.name)' holds dates and \(others == 1 ? "a text" : "texts") ('\(firstOther)'): loaded as text; "
            + "date(\(column.name)) reads its dates (the rest become null), or clean the text"
    }

    private static func forEachDistinct(_ strings: StringColumn, validity: ValidityBitmap,
                                        _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        switch strings.storage {
        case .dictionary(let codes, let values):
            var used = [Bool](repeating: false, count: values.count)
            codes.withUnsafeBufferPointer { codes in
                used.withUnsafeMutableBufferPointer { used in
                    for row in 0..<codes.count where validity.isValid(row) { used[Int(codes[row])] = true }
                }
            }
            for index in 0..<values.count where used[index] && values.byteCount(at: index) > 0 {
                if !values.withBytes(at: index, body) { return false }
            }
        case .plain(let values):
            for row in 0..<values.count where validity.isValid(row) && values.byteCount(at: row) > 0 {
                if !values.withBytes(at: row, body) { return false }
            }
        }
        return true
    }

    /// A new column of `values`, one per row, from converting each distinct string once.
    fileprivate static func converted<T>(_ column: Column, _ convert: (UnsafeBufferPointer<UInt8>) -> T?) -> (values: [T?], validity: ValidityBitmap) {
        guard case .string(let strings) = column.values else { return ([], column.validity) }
        var values = [T?](repeating: nil, count: column.count)
        switch strings.storage {
        case .dictionary(let codes, let heap):
            var memo = [T??](repeating: nil, count: heap.count)
            for row in 0..<codes.count where column.validity.isValid(row) {
                let code = Int(codes[row])
                if memo[code] == nil { memo[code] = .some(heap.withBytes(at: code, convert)) }
                values[row] = memo[code]!
            }
        case .plain(let heap):
            for row in 0..<heap.count where column.validity.isValid(row) { values[row] = heap.withBytes(at: row, convert) }
        }
        var validity = ValidityBitmap()
        validity.reserveCapacity(values.count)
        for value in values { validity.append(value != nil) }
        return (values, validity)
    }

    /// What the values allow, gathered in one look at each.
    private struct Survey {
        var values = 0
        var firstValue = ""

        // Yes/no words: which spellings were seen.
        var booleansFit = true
        var spellings = Set<Int>()
        var writtenSpellings: [Int: String] = [:]

        // Dates: one shape for all; which orders of day and month every value allows.
        var datesFit = true
        var dateShape: WrittenDate.Shape?
        var monthFirstFits = true, dayFirstFits = true
        var anyTime = false, anyOffset = false
        var firstAmbiguous: String?

        // Amounts, read with a decimal point and with a decimal comma.
        var point = AmountSurvey(), comma = AmountSurvey()

        /// Looks at one value; false once nothing fits (stop looking).
        mutating func take(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            if values == 0 { firstValue = String(decoding: bytes, as: UTF8.self) }
            values += 1
            if booleansFit {
                if let spelling = WrittenBoolean.parse(bytes) {
                    if spellings.insert(spelling).inserted { writtenSpellings[spelling] = String(decoding: bytes, as: UTF8.self) }
                } else {
                    booleansFit = false
                }
            }
            if datesFit { takeDate(bytes) }
            if point.fits { point.take(WrittenAmount.parse(bytes, style: .decimalPoint)) }
            if comma.fits { comma.take(WrittenAmount.parse(bytes, style: .decimalComma)) }
            return booleansFit || datesFit || point.fits || comma.fits
        }

        private mutating func takeDate(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let date = WrittenDate.parse(bytes), dateShape == nil || dateShape == date.shape else {
                datesFit = false
                return
            }
            dateShape = date.shape
            let monthFirst = date.isValid(.monthFirst), dayFirst = date.isValid(.dayFirst)
            monthFirstFits = monthFirstFits && monthFirst
            dayFirstFits = dayFirstFits && (date.shape == .yearLast ? dayFirst : monthFirst)
            if !monthFirstFits && !dayFirstFits { datesFit = false }
            anyTime = anyTime || date.time != nil
            anyOffset = anyOffset || date.time?.offset != nil
            if date.shape == .yearLast, monthFirst, dayFirst, date.first != date.second, firstAmbiguous == nil {
                firstAmbiguous = String(decoding: bytes, as: UTF8.self)
            }
        }

        func booleans(_ column: Column) -> TextColumnReading? {
            guard booleansFit else { return nil }
            // Single letters (Y, T) alone could be codes: both values must appear, or whole words.
            let words = spellings.map { WrittenBoolean.words[$0] }
            let bothValues = Set(words.map(\.value)).count == 2
            guard bothValues || words.allSatisfy(\.isWord) else { return nil }
            let (values, validity) = TextColumnReading.converted(column) { bytes in
                WrittenBoolean.parse(bytes).map { WrittenBoolean.words[$0].value }
            }
            let written = spellings.sorted { (WrittenBoolean.words[$0].value ? 0 : 1, $0) < (WrittenBoolean.words[$1].value ? 0 : 1, $1) }
                .map { writtenSpellings[$0] ?? "" }
            var result = column
            result.values = .boolean(ValueBuffer(values.map { $0 ?? false }))
            result.validity = validity
            return TextColumnReading(column: result, reading: "yes/no (" + written.joined(separator: "/") + ")")
        }

        func dates(_ column: Column) -> TextColumnReading? {
            guard datesFit, let shape = dateShape else { return nil }
            let order: DateOrder = shape == .yearFirst || monthFirstFits ? .monthFirst : .dayFirst
            let kind = anyTime ? "timestamps" : "dates"
            let written = shape == .yearFirst ? "" : (order == .monthFirst ? ", month/day/year" : ", day/month/year")
            var guess: String?
            if shape == .yearLast, monthFirstFits, dayFirstFits, let example = firstAmbiguous {
                let format = anyTime ? "%d/%m/%Y %H:%M" : "%d/%m/%Y"
                guess = "every value of \(column.name) reads as month/day/year or as day/month/year (\(example)): "
                    + "custq took month/day/year, Excel's US order; --type '\(column.name)=\(anyTime ? "timestamp" : "date"):\(format)' "
                    + "reads the day first"
            }
            let result = TextColumnReading.written(column, timestamps: anyTime, order: order) { bytes in
                WrittenDate.parse(bytes).flatMap { $0.isValid(order) ? $0 : nil }
            }
            let offsets = anyOffset ? " with UTC offsets" : ""
            return TextColumnReading(column: result, reading: "\(kind)\(offsets)\(written) (\(firstValue))", guess: guess)
        }

        func amounts(_ column: Column, preferred: WrittenAmount.Style) -> Outcome? {
            let other: WrittenAmount.Style = preferred == .decimalPoint ? .decimalComma : .decimalPoint
            let surveys = [(preferred, preferred == .decimalPoint ? point : comma), (other, other == .decimalPoint ? point : comma)]
            // A column of plain numbers is text for some other reason (mixed kinds, huge numbers).
            guard let (style, chosen) = surveys.first(where: { $0.1.fits && $0.1.anyMarked }) else { return nil }
            let currencies = Set(chosen.symbols.map(WrittenAmount.currency(of:)))
            if currencies.count > 1 {
                return .staysText(warning: "column '\(column.name)' mixes currencies (\(chosen.symbols.sorted().joined(separator: ", "))): loaded as text")
            }
            guard !chosen.somePercent || chosen.allPercent else { return nil }
            let (values, validity) = TextColumnReading.converted(column) { bytes in WrittenAmount.parse(bytes, style: style)?.value }
            var result = column
            result.values = .decimal(ValueBuffer(values.map { $0 ?? 0 }))
            result.validity = validity
            let reading: String
            let comma = style == .decimalComma ? ", decimal comma" : ""
            if chosen.allPercent {
                result.unit = .percent
                let example = Array(firstValue.utf8).withUnsafeBufferPointer { WrittenAmount.parse($0, style: style)?.value } ?? 0
                reading = "percent\(comma) (\(firstValue) = \(Self.plain(example)))"
            } else if let symbol = chosen.firstSymbol {
                result.unit = .money(symbol: symbol, after: chosen.symbolAfter)
                reading = "money in \(symbol)\(comma) (\(firstValue))"
            } else {
                reading = "numbers\(comma) (\(firstValue))"
            }
            return .read(TextColumnReading(column: result, reading: reading))
        }

        private static func plain(_ value: Double) -> String {
            var text = String(value)
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text
        }
    }

    /// What the values allow when read as amounts in one style.
    private struct AmountSurvey {
        var fits = true
        var anyMarked = false
        var somePercent = false, allPercent = true
        var symbols = Set<String>()
        var firstSymbol: String?
        var symbolAfter = false

        mutating func take(_ amount: WrittenAmount?) {
            guard let amount else {
                fits = false
                return
            }
            anyMarked = anyMarked || amount.isMarked
            somePercent = somePercent || amount.isPercent
            allPercent = allPercent && amount.isPercent
            if let symbol = amount.symbol {
                symbols.insert(symbol)
                if firstSymbol == nil {
                    firstSymbol = symbol
                    symbolAfter = amount.symbolAfter
                }
            }
        }
    }
}
