import CustqDiagnostics
import CustqStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a top-level JSON array of objects, or NDJSON (one object per line), into a table.
///
/// Keys become columns (the union over all records; a missing key is null). Numbers are
/// integers or decimals, `true`/`false` booleans, strings stay strings unless every value
/// is a date or timestamp, and nested objects and arrays are kept as their JSON text.
/// A column whose values mix kinds is widened (integer -> decimal -> string) with a warning.
struct JSONReader {
    static let maxDepth = 512

    let file: InputFile
    let options: LoadOptions
    let tableName: String

    private var bytes: UnsafeBufferPointer<UInt8> { file.bytes }
    private var source: SourceText { file.source }

    func read() throws(Diagnostic) -> LoadResult {
        try CSVReader.rejectBinary(bytes, source: source)
        let start = CSVReader.byteOrderMarkLength(bytes)
        var first: JSONScanner
        if let both = try readInTwo(from: start) {
            first = both
        } else {
            first = JSONScanner(file: file, position: start, options: options)
            try first.run(rereading: nil, source: source)
        }
        if first.rowCount == 0 && first.skippedLines.isEmpty { throw LoadErrors.noRecords(file.path) }
        let rereads = first.builders.indices.filter { first.builders[$0].needsTextReread }
        if !rereads.isEmpty {
            for index in rereads { first.builders[index].beginTextReread() }
            var second = JSONScanner(file: file, position: CSVReader.byteOrderMarkLength(bytes), options: options)
            second.adopt(builders: first.builders, keys: first.keys)
            try second.run(rereading: Set(rereads), source: source)
        }
        var warnings: [Diagnostic] = []
        for builder in first.builders {
            if let from = builder.widenedFrom {
                warnings.append(LoadErrors.mixedTypes(file.path, column: builder.name, was: from.displayName,
                                                      at: first.textRowStarts[builder.name].map { source.location(at: $0) }))
            }
        }
        if let declared = options.columnTypes.keys.first(where: { name in
            !first.builders.contains { $0.name.lowercased() == name.lowercased() }
        }) {
            throw LoadErrors.unknownColumnOverride(file.path, column: declared, columns: first.builders.map(\.name))
        }
        let columns = first.builders.map { $0.build() }
        let table = Table(name: tableName, columns: columns, rowCount: first.rowCount, source: file.path)
        return LoadResult(table: table, format: .json, warnings: warnings, skippedLines: first.skippedLines)
    }
}

extension JSONReader {
    /// Reads a large NDJSON file on two cores: the records of each half of the file, split
    /// at the start of a line near the middle, go to builders of their own, and the second
    /// half's columns are then appended to the first's. Any doubt gives nil and the file is
    /// read on one core: the first half did not end exactly where the second began (a
    /// record spanning lines), either half failed or met mixed kinds, or the halves' columns
    /// differ in names, order or kind. Errors are then reported by the one-core read, with
    /// their true line numbers. Measured: see the commit message.
    func readInTwo(from start: Int) throws(Diagnostic) -> JSONScanner? {
        guard let threshold = options.twoCoresFrom, bytes.count - start >= threshold, !options.lenient,
              options.columnTypes.isEmpty, sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 else { return nil }
        var first = start
        while first < bytes.count, bytes[first] == 0x20 || bytes[first] == 0x0A || bytes[first] == 0x0D || bytes[first] == 0x09 {
            first += 1
        }
        guard first < bytes.count, bytes[first] == UInt8(ascii: "{") else { return nil }   // an array: one core
        // The second half starts at a line that starts with a record, at or after the middle.
        var middle = max(start + 1, start + (bytes.count - start) / 2)
        while middle < bytes.count, !(bytes[middle - 1] == 0x0A && bytes[middle] == UInt8(ascii: "{")) { middle += 1 }
        guard middle < bytes.count else { return nil }
        var head = JSONScanner(file: file, position: start, options: options)
        head.end = middle
        var tail = JSONScanner(file: file, position: middle, options: options)
        tail.reportsProgress = false
        let tailBox = UncheckedBox(tail)
        let failed = Atomic<Bool>(false)
        let source = self.source
        let thread = BackgroundThread {
            do {
                try tailBox.value.run(rereading: nil, source: source)
            } catch {
                failed.store(true, ordering: .releasing)
            }
        }
        var headFailed = false
        do {
            try head.run(rereading: nil, source: source)
        } catch {
            headFailed = true
        }
        thread.join()
        if options.shouldStop?() == true { throw LoadErrors.interrupted(file.path) }
        guard !headFailed, !failed.load(ordering: .acquiring), head.position == middle else { return nil }
        tail = tailBox.value
        guard head.builders.map(\.name) == tail.builders.map(\.name) || tail.rowCount == 0 else { return nil }
        guard head.builders.indices.allSatisfy({ head.builders[$0].canAbsorb(tail.builders[$0]) }) else { return nil }
        for (mine, theirs) in zip(head.builders, tail.builders) { mine.absorb(theirs) }
        head.absorbRows(of: tail)
        return head
    }
}

/// One pass over the JSON text, filling column builders record by record.
struct JSONScanner {
    private enum Stop: Error {
        case failed(Diagnostic)
    }

    let file: InputFile
    let bytes: UnsafeBufferPointer<UInt8>
    let options: LoadOptions
    private(set) var position: Int
    /// Where to stop reading NDJSON records (the end of the file, or of its first half).
    var end: Int
    /// False for the second half's scanner: the first reports how far the load has come.
    var reportsProgress = true
    /// Where this scanner started: it hands back file pages from here on.
    private let start: Int
    private var nextRelease: Int
    /// Where the scanner next reports progress and asks whether to stop.
    private var nextCheck: Int
    private var utf8: UTF8Validator
    private(set) var builders: [ColumnBuilder] = []
    private(set) var keys = JSONKeyTable()
    private(set) var rowCount = 0
    private(set) var skippedLines: [Int] = []
    private(set) var textRowStarts: [String: Int] = [:]
    /// Columns given a value in the current record, in order (to undo a dropped record).
    private var filledInRow: [Int] = []
    /// For each column, 1 + the record number that last gave it a value.
    private var filledStamp: [Int] = []
    private var builderRefs: [Unmanaged<ColumnBuilder>] = []
    private var scratch = GrowableBuffer<UInt8>(capacity: 256)
    private var rereading: Set<Int>?
    private var lineCounter = (offset: 0, line: 1)
    private var expectedRows = 1024

    init(file: InputFile, position: Int, options: LoadOptions) {
        self.file = file
        self.bytes = file.bytes
        utf8 = UTF8Validator(bytes: file.bytes, from: position, collectAll: options.lenient)
        self.position = position
        self.start = position
        end = file.bytes.count
        nextRelease = position + (16 << 20)
        nextCheck = position + (1 << 20)
        self.options = options
        expectedRows = max(1024, bytes.count / 200)
    }

    /// Counts the second half's records as this scanner's (its columns were absorbed).
    mutating func absorbRows(of other: JSONScanner) {
        rowCount += other.rowCount
    }

    mutating func adopt(builders: [ColumnBuilder], keys: JSONKeyTable) {
        self.builders = builders
        self.keys = keys
        builderRefs = builders.map { Unmanaged.passUnretained($0) }
        filledStamp = Array(repeating: 0, count: builders.count)
    }

    // MARK: Records

    mutating func run(rereading: Set<Int>?, source: SourceText) throws(Diagnostic) {
        self.rereading = rereading
        defer { scratch.deallocate() }
        skipWhitespace()
        guard position < bytes.count else { throw LoadErrors.noRecords(source.path) }
        if bytes[position] == UInt8(ascii: "[") {
            position += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { position += 1 } else {
                while true {
                    try record(source: source, lenientRecovery: false)
                    skipWhitespace()
                    if peek == UInt8(ascii: ",") { position += 1; continue }
                    if peek == UInt8(ascii: "]") { position += 1; break }
                    throw error(expected: "',' or ']' after a record", source: source)
                }
            }
            skipWhitespace()
            if position < bytes.count { throw error(expected: "the end of the file after the closing ']'", source: source) }
        } else {
            while position < end {
                try record(source: source, lenientRecovery: options.lenient)
                skipWhitespace()
            }
        }
    }

    private mutating func record(source: SourceText, lenientRecovery: Bool) throws(Diagnostic) {
        skipWhitespace()
        let recordStart = position
        do throws(Diagnostic) {
            try object(source: source)
            if lenientRecovery { try requireLineEnd(source: source) }
            if let bad = utf8.firstInvalid(from: recordStart, to: position) {
                throw LoadErrors.invalidUTF8(source.location(at: bad), byte: bytes[bad])
            }
            rowCount += 1
        } catch {
            guard lenientRecovery else { throw error }
            for column in filledInRow {
                if wanted(column) { builders[column].removeLastRow() }
                filledStamp[column] = 0
            }
            skippedLines.append(line(at: recordStart))
            position = recordStart
            while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
        }
        if position >= nextCheck {
            nextCheck = position + (1 << 20)
            if options.shouldStop?() == true { throw LoadErrors.interrupted(file.path) }
            if reportsProgress, let progress = options.progress { progress(Double(position) / Double(bytes.count)) }
        }
        if position >= nextRelease {
            // Hand back the pages already read, as the CSV reader does.
            file.release(from: start, before: recordStart)
            nextRelease = position + (16 << 20)
        }
    }

    /// In NDJSON, a record must be alone on its line.
    private mutating func requireLineEnd(source: SourceText) throws(Diagnostic) {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
                || bytes[position] == UInt8(ascii: "\r") { position += 1 }
        if position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
            throw error(expected: "the end of the line after a record", source: source)
        }
    }

    private mutating func object(source: SourceText) throws(Diagnostic) {
        guard peek == UInt8(ascii: "{") else {
            throw LoadErrors.jsonNotObject(source.location(at: position), found: found(source))
        }
        position += 1
        filledInRow.removeAll(keepingCapacity: true)
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            finishRow()
            return
        }
        var expected = 0
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw error(expected: "a key in quotes", source: source) }
            let keyStart = position
            var column: Int
            if keys.nameFollowedByQuote(expected, in: bytes, at: position + 1) {
                // The key the previous records had here: skip it without scanning or escapes.
                column = expected
                position += keys.nameLength(expected) + 2
            } else {
                let key = try string(source: source)
                if let known = keys.lookup(key, expected: expected) {
                    column = known
                } else {
                    column = keys.add(key)
                    let builder = newBuilder(named: String(decoding: key, as: UTF8.self))
                    builders.append(builder)
                    builderRefs.append(Unmanaged.passUnretained(builder))
                    filledStamp.append(0)
                }
            }
            if filledStamp[column] == rowCount + 1 {
                throw LoadErrors.duplicateKey(source.location(at: keyStart), key: builders[column].name)
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after a key", source: source) }
            position += 1
            skipWhitespace()
            try value(into: column, source: source)
            filledInRow.append(column)
            filledStamp[column] = rowCount + 1
            expected = column + 1
            skipWhitespace()
            if peek == UInt8(ascii: ",") { position += 1; continue }
            if peek == UInt8(ascii: "}") { position += 1; break }
            throw error(expected: "',' or '}' after a value", source: source)
        }
        finishRow()
    }

    private func newBuilder(named name: String) -> ColumnBuilder {
        let declared = options.columnTypes.first { $0.key.lowercased() == name.lowercased() }?.value
        let builder = ColumnBuilder(name: name, declaredType: declared, expectedRows: expectedRows)
        for _ in 0..<rowCount { builder.appendNull() }
        return builder
    }

    /// Columns the record did not mention are null in it.
    private mutating func finishRow() {
        if filledInRow.count == builders.count { return }
        for column in builders.indices where filledStamp[column] != rowCount + 1 {
            if wanted(column) { builders[column].appendNull() }
            // Every column now has a value in this row: a lenient load that drops the row
            // after this point must take them all back.
            filledInRow.append(column)
        }
    }

    @inline(__always)
    private func wanted(_ column: Int) -> Bool { rereading?.contains(column) ?? true }

    // MARK: Values

    private mutating func value(into column: Int, source: SourceText) throws(Diagnostic) {
        let start = position
        let value: FieldValue
        var text: FieldBytes
        switch peek {
        case UInt8(ascii: "\""):
            let content = try string(source: source)
            text = FieldBytes(base: content.baseAddress ?? bytes.baseAddress!, count: content.count)
            value = Self.classifyString(text)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipNested(source: source)
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            value = .text
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word = literal()
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            switch word {
            case "true": value = .boolean(true)
            case "false": value = .boolean(false)
            case "null": value = .null
            default:
                position = start
                throw error(expected: "a value", source: source)
            }
        default:
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            text = FieldBytes(base: bytes.baseAddress! + start, count: position - start)
            guard text.count > 0, let number = Self.number(text) else {
                position = start
                throw error(expected: "a value", source: source)
            }
            value = number
        }
        guard wanted(column) else { return }
        let (accepted, becameText) = builderRefs[column]._withUnsafeGuaranteedRef { builder in
            let wasText = builder.needsTextReread
            let accepted = builder.append(value, text: text)
            return (accepted, !wasText && builder.needsTextReread)
        }
        if !accepted {
            let builder = builders[column]
            throw LoadErrors.notOfDeclaredType(source.location(at: start), value: String(decoding: text.buffer, as: UTF8.self),
                                               column: builder.name, type: builder.declaredType?.displayName ?? "value")
        }
        if rereading == nil, becameText { textRowStarts[builders[column].name] = start }
    }

    /// JSON has no date type: strings that read as dates or timestamps become them.
    static func classifyString(_ text: FieldBytes) -> FieldValue {
        if text.count >= 10, ValueParser.isDigit(text[0]) {
            if text.count == 10, let day = ValueParser.date(text) { return .date(day) }
            if let micros = ValueParser.timestamp(text) { return .timestamp(micros) }
        }
        return .text
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        ValueParser.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    static func number(_ text: FieldBytes) -> FieldValue? {
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: ".") { return nil }
        // JSON wants a digit after a decimal point (`1.` is not a number).
        for i in 0..<text.count where text[i] == UInt8(ascii: ".") {
            if i + 1 >= text.count || !ValueParser.isDigit(text[i + 1]) { return nil }
        }
        if let value = ValueParser.integer(text) { return .integer(value) }
        if text.count > 1, text[0] == UInt8(ascii: "-"), text[1] == UInt8(ascii: ".") { return nil }
        if let value = ValueParser.decimal(text) { return .decimal(value) }
        // JSON allows -0 and 0.5 but not 007; ValueParser rejects leading zeros on purpose.
        return nil
    }

    private mutating func literal() -> String {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "a"), bytes[position] <= UInt8(ascii: "z"),
              position - start < 5 { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Reads a quoted string, returning its bytes with escapes decoded (into scratch when
    /// there are escapes, else straight from the input).
    private mutating func string(source: SourceText) throws(Diagnostic) -> UnsafeBufferPointer<UInt8> {
        let open = position
        position += 1
        let start = position
        position = Self.nextSpecialByte(in: bytes, from: position)
        if position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
            }
            if byte < 0x20 { throw error(expected: "a character or '\"' (control characters must be escaped)", source: source) }
        }
        scratch.removeAll()
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return scratch.buffer
            }
            if byte < 0x20 { throw error(expected: "a character or '\"' (control characters must be escaped)", source: source) }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let escaped = bytes[position]
            position += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(source: source)
                if (0xD800...0xDBFF).contains(scalar), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4(source: source)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position -= 6
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                for unit in String(character).utf8 { scratch.append(unit) }
            default:
                position -= 1
                throw error(expected: "an escape such as \\n, \\\" or \\u00e9 after '\\'", source: source)
            }
        }
        position = open
        throw LoadErrors.json(source.location(at: open), expected: "a closing '\"' for this string", found: "the end of the file")
    }

    private mutating func hex4(source: SourceText) throws(Diagnostic) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else { throw error(expected: "four hex digits after \\u", source: source) }
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error(expected: "four hex digits after \\u", source: source)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// First offset at or after `start` holding `"`, `\\` or a control character (or the
    /// end), eight bytes per step: strings are most of a JSON file's bytes.
    @inline(__always)
    static func nextSpecialByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = UInt64(UInt8(ascii: "\"")) &* ones
        let backslashes = UInt64(UInt8(ascii: "\\")) &* ones
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let n = bytes.count
        var i = start
        while i + 8 <= n {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let q = word ^ quotes, b = word ^ backslashes
            // Zero bytes of q and b, and bytes below 0x20 in word; the lowest flag is exact.
            let found = ((q &- ones) & ~q | (b &- ones) & ~b | (word &- 0x2020_2020_2020_2020) & ~word) & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return i }
            i += 1
        }
        return n
    }

    /// Skips a nested object or array, checking its brackets balance.
    private mutating func skipNested(source: SourceText) throws(Diagnostic) {
        var stack: [UInt8] = []
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                if stack.count > JSONReader.maxDepth { throw LoadErrors.tooDeep(source.location(at: position)) }
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard stack.last == byte else {
                    throw error(expected: stack.last.map { "'\(String(UnicodeScalar($0)))'" } ?? "a value", source: source)
                }
                stack.removeLast()
                position += 1
                if stack.isEmpty { return }
            case UInt8(ascii: "\""):
                _ = try string(source: source)
            default:
                position += 1
            }
        }
        position = start
        throw LoadErrors.json(source.location(at: start), expected: "the end of this nested value", found: "the end of the file")
    }

    // MARK: Helpers

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func found(_ source: SourceText) -> String { source.describe(at: position) }

    private func error(expected: String, source: SourceText) -> Diagnostic {
        LoadErrors.json(source.location(at: position), expected: expected, found: found(source))
    }

    /// Line of `offset`, counted forward from the last call (offsets only grow).
    private mutating func line(at offset: Int) -> Int {
        var (from, line) = lineCounter
        if offset < from { (from, line) = (0, 1) }
        for i in from..<offset where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        lineCounter = (offset, line)
        return line
    }
}
