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

    /// More distinct keys than this, and keys that appear in few records stop being columns
    /// of their own (a file whose every record has its own key would otherwise need keys ×
    /// records cells: 3.6 GB for a 338 KB file).
    static let keyLimit = 1000

    func read() throws(Diagnostic) -> LoadResult {
        let start = CSVReader.byteOrderMarkLength(bytes)
        var options = self.options
        var first: JSONScanner
        var warnings: [Diagnostic] = []
        if let both = try readInTwo(from: start) {
            first = both
        } else {
            first = JSONScanner(file: file, position: start, options: options)
            do {
                try first.run(rereading: nil, source: source)
            } catch {
                guard first.tooManyKeys else { throw error }
                // Count each key's records, keep the frequent ones as columns, and read again.
                var counter = JSONScanner(file: file, position: start, options: options)
                let (counts, records) = try counter.countKeys(source: source)
                let frequent = counts.filter { $0.value * 100 >= records }.sorted { $0.value > $1.value }
                    .prefix(Self.keyLimit).map(\.key)
                var other = "other_fields"
                while frequent.contains(where: { $0.elementsEqual(other.utf8) }) { other += "_" }
                options.jsonColumns = JSONColumnPlan(columns: Set(frequent), otherColumn: other)
                warnings.append(LoadErrors.rareKeys(file.path, rare: counts.count - frequent.count, all: counts.count, column: other))
                first = JSONScanner(file: file, position: start, options: options)
                try first.run(rereading: nil, source: source)
            }
        }
        if first.rowCount == 0 && first.skippedLines.isEmpty { throw LoadErrors.noRecords(file.path) }
        let rereads = first.builders.indices.filter { first.builders[$0].needsTextReread }
        if !rereads.isEmpty {
            for index in rereads { first.builders[index].beginTextReread() }
            var second = JSONScanner(file: file, position: CSVReader.byteOrderMarkLength(bytes), options: options)
            second.adopt(builders: first.builders, keys: first.keys)
            try second.run(rereading: Set(rereads), source: source)
        }
        var mixedKinds: [String: Diagnostic] = [:]
        for builder in first.builders {
            if let mixed = builder.mixedKinds {
                let location = first.textRowStarts[builder.name].map { source.location(at: $0) }
                mixedKinds[builder.name] = mixed.bigInteger ? LoadErrors.bigIntegers(column: builder.name, at: location)
                    : LoadErrors.mixedTypes(file.path, column: builder.name, was: mixed.was.displayName, at: location)
            }
        }
        if let declared = options.columnTypes.keys.first(where: { name in
            !first.builders.contains { $0.name.lowercased() == name.lowercased() }
        }) {
            throw LoadErrors.unknownColumnOverride(file.path, column: declared, columns: first.builders.map(\.name))
        }
        var columns = first.builders.map { $0.build() }
        // The column of rare fields goes after the columns of their own.
        if let other = options.jsonColumns?.otherColumn, let index = columns.firstIndex(where: { $0.name == other }) {
            columns.append(columns.remove(at: index))
        }
        let table = Table(name: tableName, columns: columns, rowCount: first.rowCount, source: file.path)
        return LoadResult(table: table, format: .json, warnings: warnings, skippedLines: first.skippedLines,
                          mixedKinds: mixedKinds)
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
    /// Set when the file has more keys than `JSONReader.keyLimit` and no plan says which.
    private(set) var tooManyKeys = false
    /// With a plan: the column of the fields whose keys are not columns, and their text.
    private var otherColumn: Int?
    private var otherText = GrowableBuffer<UInt8>(capacity: 256)

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
        if let plan = options.jsonColumns {
            let name = Array(plan.otherColumn.utf8)
            otherColumn = name.withUnsafeBufferPointer { addColumn($0) }
        }
    }

    /// A new column for `key`.
    private mutating func addColumn(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let column = keys.add(key)
        let builder = newBuilder(named: String(decoding: key, as: UTF8.self))
        builders.append(builder)
        builderRefs.append(Unmanaged.passUnretained(builder))
        filledStamp.append(0)
        return column
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
        defer {
            scratch.deallocate()
            otherText.deallocate()
        }
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
        filledInRow.removeAll(keepingCapacity: true)
        do throws(Diagnostic) {
            if lenientRecovery { try validate(source: source) }
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
                } else if let plan = options.jsonColumns, !plan.columns.contains(Array(key)) {
                    // A rare key: its field goes, as it is written, into the other column.
                    try keepRareField(from: keyStart, source: source)
                    skipWhitespace()
                    if peek == UInt8(ascii: ",") { position += 1; continue }
                    if peek == UInt8(ascii: "}") { position += 1; break }
                    throw error(expected: "',' or '}' after a value", source: source)
                } else {
                    if options.jsonColumns == nil, keys.count >= JSONReader.keyLimit {
                        tooManyKeys = true
                        throw LoadErrors.tooManyKeys(source.path)
                    }
                    column = addColumn(key)
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
        let builder = ColumnBuilder(name: name, declaredType: declared, format: options.format(of: name), expectedRows: expectedRows)
        for _ in 0..<rowCount { builder.appendNull() }
        return builder
    }

    /// `"key": value` of a rare key, kept for the other column.
    private mutating func keepRareField(from keyStart: Int, source: SourceText) throws(Diagnostic) {
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after a key", source: source) }
        position += 1
        skipWhitespace()
        _ = try readValue(source: source)
        otherText.append(otherText.count == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
        otherText.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[keyStart..<position]))
    }

    /// How many records each key appears in, and how many records there are (the count
    /// that decides which keys of a file with very many become columns).
    mutating func countKeys(source: SourceText) throws(Diagnostic) -> (counts: [[UInt8]: Int], records: Int) {
        var counts: [[UInt8]: Int] = [:]
        var records = 0
        defer {
            scratch.deallocate()
            otherText.deallocate()
        }
        func object(_ scanner: inout JSONScanner) throws(Diagnostic) {
            scanner.skipWhitespace()
            guard scanner.peek == UInt8(ascii: "{") else {
                throw LoadErrors.jsonNotObject(source.location(at: scanner.position), found: scanner.found(source))
            }
            scanner.position += 1
            scanner.skipWhitespace()
            records += 1
            if scanner.peek == UInt8(ascii: "}") { scanner.position += 1; return }
            while true {
                scanner.skipWhitespace()
                let key = Array(try scanner.string(source: source))
                counts[key, default: 0] += 1
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: ":") else { throw scanner.error(expected: "':' after a key", source: source) }
                scanner.position += 1
                scanner.skipWhitespace()
                _ = try scanner.readValue(source: source)
                scanner.skipWhitespace()
                if scanner.peek == UInt8(ascii: ",") { scanner.position += 1; continue }
                if scanner.peek == UInt8(ascii: "}") { scanner.position += 1; return }
                throw scanner.error(expected: "',' or '}' after a value", source: source)
            }
        }
        skipWhitespace()
        let isArray = peek == UInt8(ascii: "[")
        if isArray { position += 1 }
        while true {
            skipWhitespace()
            guard let next = peek, next != UInt8(ascii: "]") else { break }
            do throws(Diagnostic) {
                try object(&self)
            } catch {
                // Records the real read skips (lenient) or rejects count for nothing here.
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
                continue
            }
            skipWhitespace()
            if isArray, peek == UInt8(ascii: ",") { position += 1 }
        }
        return (counts, records)
    }

    /// Columns the record did not mention are null in it.
    private mutating func finishRow() {
        if let otherColumn {
            // The rare fields of the record, as one JSON object (null when it had none).
            if otherText.count > 0 {
                otherText.append(UInt8(ascii: "}"))
                let text = FieldBytes(base: UnsafePointer(otherText.base), count: otherText.count)
                _ = builders[otherColumn].append(.text, text: text)
                otherText.removeAll()
            } else {
                builders[otherColumn].appendNull()
            }
            filledInRow.append(otherColumn)
            filledStamp[otherColumn] = rowCount + 1
        }
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
        let (value, text) = try readValue(source: source)
        guard wanted(column) else { return }
        let (accepted, becameText) = builderRefs[column]._withUnsafeGuaranteedRef { builder in
            let hadText = builder.firstTextRow != nil
            let accepted = builder.append(value, text: text)
            return (accepted, !hadText && builder.firstTextRow != nil)
        }
        if !accepted {
            let builder = builders[column]
            throw LoadErrors.notOfDeclaredType(source.location(at: start), value: String(decoding: text.buffer, as: UTF8.self),
                                               column: builder.name, type: builder.declaredDescription)
        }
        if rereading == nil, becameText { textRowStarts[builders[column].name] = start }
    }

    /// Reads one value: what it is, and its text (a string's content, else as written).
    private mutating func readValue(source: SourceText) throws(Diagnostic) -> (FieldValue, FieldBytes) {
        let start = position
        let value: FieldValue
        let text: FieldBytes
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
                if text.count > 0, Self.isOutOfRange(text) {
                    throw LoadErrors.numberOutOfRange(source.location(at: start, length: text.count),
                                                      text: String(decoding: text.buffer, as: UTF8.self))
                }
                position = start
                throw error(expected: "a value", source: source)
            }
            value = number
        }
        return (value, text)
    }

    /// Checks a record of a lenient load before any of it is taken: that it is one object on
    /// its line, keys once each, values that fit any declared type, valid UTF-8. A record
    /// that fails is skipped whole, so it adds no column and changes no column's type.
    private mutating func validate(source: SourceText) throws(Diagnostic) {
        let start = position
        defer { position = start }
        guard peek == UInt8(ascii: "{") else {
            throw LoadErrors.jsonNotObject(source.location(at: position), found: found(source))
        }
        position += 1
        skipWhitespace()
        var keys: Set<[UInt8]> = []
        if peek == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error(expected: "a key in quotes", source: source) }
                let keyStart = position
                let key = Array(try string(source: source))
                guard keys.insert(key).inserted else {
                    throw LoadErrors.duplicateKey(source.location(at: keyStart), key: String(decoding: key, as: UTF8.self))
                }
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error(expected: "':' after a key", source: source) }
                position += 1
                skipWhitespace()
                let valueStart = position
                let (value, text) = try readValue(source: source)
                let name = String(decoding: key, as: UTF8.self).lowercased()
                if let format = options.format(of: name) {
                    if case .null = value {} else if !format.accepts(text.buffer) {
                        throw error(expected: "a date written \(format)", source: source, at: valueStart)
                    }
                } else if let declared = options.columnTypes.first(where: { $0.key.lowercased() == name })?.value,
                   !ColumnBuilder.fits(value, declared: declared) {
                    throw error(expected: "a \(declared.displayName)", source: source, at: valueStart)
                }
                skipWhitespace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                if peek == UInt8(ascii: "}") { position += 1; break }
                throw error(expected: "',' or '}' after a value", source: source)
            }
        }
        try requireLineEnd(source: source)
        if let bad = utf8.firstInvalid(from: start, to: position) {
            throw LoadErrors.invalidUTF8(source.location(at: bad), byte: bytes[bad])
        }
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
        if ValueParser.isBigInteger(text) { return .bigInteger }
        if text.count > 1, text[0] == UInt8(ascii: "-"), text[1] == UInt8(ascii: ".") { return nil }
        if let value = ValueParser.decimal(text) { return .decimal(value) }
        // JSON allows -0 and 0.5 but not 007; ValueParser rejects leading zeros on purpose.
        return nil
    }

    /// A number whose value a double cannot hold (`1e400`): all of it reads as a number,
    /// and that number is infinite.
    static func isOutOfRange(_ text: FieldBytes) -> Bool {
        let bytes = Array(text.buffer).map { CChar(bitPattern: $0) } + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return value.isInfinite && end == UnsafeMutablePointer(mutating: buffer.baseAddress! + text.count)
        }
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
                // The record itself is the first level.
                if stack.count + 1 > JSONReader.maxDepth { throw LoadErrors.tooDeep(source.location(at: position)) }
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

    private func error(expected: String, source: SourceText, at offset: Int? = nil) -> Diagnostic {
        LoadErrors.json(source.location(at: offset ?? position), expected: expected, found: source.describe(at: offset ?? position))
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
