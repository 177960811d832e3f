import CustqDiagnostics
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a CSV (or TSV) file into a table in one pass over its bytes, plus a second pass
/// only for columns whose inferred type had to fall back to text.
struct CSVReader {
    let file: InputFile
    let options: LoadOptions
    let tableName: String
    /// Where the data ends when report footers follow it (`ReportFooter`).
    private var footer: ReportFooter?

    init(file: InputFile, options: LoadOptions, tableName: String) {
        self.file = file
        self.options = options
        self.tableName = tableName
    }

    private var bytes: UnsafeBufferPointer<UInt8> {
        footer.map { UnsafeBufferPointer(rebasing: file.bytes[..<$0.start]) } ?? file.bytes
    }
    private var source: SourceText { file.source }

    func read() throws(Diagnostic) -> LoadResult {
        // `--skip N`: lines before the header (a report's title) are left out.
        var start = Self.byteOrderMarkLength(bytes)
        var headerLine = 1
        while headerLine <= options.skipRows, start < bytes.count {
            while start < bytes.count, bytes[start] != UInt8(ascii: "\n") { start += 1 }
            start += 1
            headerLine += 1
        }
        guard start < bytes.count else { throw LoadErrors.emptyFile(file.path) }
        var utf8 = UTF8Validator(bytes: bytes, from: 0, collectAll: options.lenient)
        let delimiter = options.delimiter ?? CSVDialect.sniffDelimiter(bytes, from: start)
        var warnings: [Diagnostic] = []

        // Header: read again with room for every field when it has more than first thought.
        var capacity = 4096
        var probe: CSVTokenizer
        var headerRecord: CSVRecord?
        while true {
            probe = CSVTokenizer(bytes: bytes, delimiter: delimiter, start: start, line: headerLine, maxFields: capacity)
            do {
                while let record = try probe.next() {
                    if !record.isBlank { headerRecord = record; break }
                }
            } catch {
                probe.deallocate()
                throw diagnostic(for: error, delimiter: delimiter)
            }
            guard let record = headerRecord, record.fieldCount > capacity else { break }
            probe.deallocate()
            capacity = record.fieldCount
            headerRecord = nil
        }
        defer { probe.deallocate() }
        guard let headerRecord else { throw LoadErrors.emptyFile(file.path) }
        if let bad = utf8.firstInvalid(from: 0, to: probe.position) {
            throw LoadErrors.invalidUTF8(source.location(at: bad), byte: bytes[bad])
        }
        let fieldCount = min(headerRecord.fieldCount, probe.spanCapacity)
        // Report footers after the data (Salesforce's "Grand Totals", "Confidential …"):
        // read again with the data ending before them.
        if footer == nil, let found = ReportFooter.find(in: bytes, after: probe.position, delimiter: delimiter,
                                                         fieldCount: fieldCount) {
            var reader = self
            reader.footer = found
            return try reader.read()
        }
        var names: [String]
        var dataStart: Int
        var firstDataLine: Int
        var surveyRows: SurveyHeaderRows?
        if options.hasHeader {
            names = (0..<fieldCount).map { text(of: probe.spans[$0]).trimmingSpaces }
            let starts = (0..<fieldCount).map { probe.spans[$0].start }
            warnings += uniqueNames(&names, headerLine: headerRecord.line, fieldStarts: starts)
            dataStart = probe.position
            firstDataLine = probe.line
            // Survey exports with more header rows (SurveyMonkey's answer labels, Qualtrics'
            // question text and import ids): their text describes the columns.
            var following: [(texts: [String], end: Int, line: Int)] = []
            while following.count < 2, let record = try? probe.next(), !record.isBlank {
                let texts = (0..<min(record.fieldCount, probe.spanCapacity)).map { text(of: probe.spans[$0]) }
                following.append((texts, probe.position, probe.line))
            }
            surveyRows = SurveyHeaderRows.recognise(following.map(\.texts), names: names)
            if let rows = surveyRows?.rows {
                dataStart = following[rows - 1].end
                firstDataLine = following[rows - 1].line
            }
        } else {
            names = (1...fieldCount).map { "column\($0)" }
            dataStart = headerRecord.start
            firstDataLine = headerRecord.line
        }
        let declared = try declaredTypes(for: names)

        // Data.
        let expectedRows = estimateRows(from: dataStart)
        func makeBuilders() -> [ColumnBuilder] {
            names.enumerated().map { index, name in
                ColumnBuilder(name: name, declaredType: declared[index], format: options.format(of: name), expectedRows: expectedRows)
            }
        }
        var builders = makeBuilders()
        var pass: Pass
        if let parallel = try readInTwo(builders: builders, declared: declared, delimiter: delimiter, utf8: utf8,
                                        from: dataStart, line: firstDataLine) {
            pass = parallel
        } else {
            if builders.contains(where: { $0.rows > 0 }) { builders = makeBuilders() }   // a two-core read gave up
            pass = Pass(reader: self, delimiter: delimiter, builders: builders, columns: Array(builders.indices),
                        utf8: utf8, skipStarts: [])
            try pass.run(from: dataStart, line: firstDataLine)
        }
        let rereads = builders.indices.filter { builders[$0].needsTextReread }
        if !rereads.isEmpty {
            for index in rereads { builders[index].beginTextReread() }
            var second = Pass(reader: self, delimiter: delimiter, builders: builders, columns: rereads,
                              utf8: utf8, skipStarts: Set(pass.skippedStarts))
            second.isFirstPass = false
            try second.run(from: dataStart, line: firstDataLine)
        }
        if pass.rowCount == 0 && pass.skippedLines.isEmpty { throw LoadErrors.headerOnly(file.path) }
        var mixedKinds: [String: Diagnostic] = [:]
        for (index, builder) in builders.enumerated() {
            if let mixed = builder.mixedKinds {
                let location = pass.textStarts[index].map { source.location(at: $0.offset, line: $0.line, length: $0.length) }
                mixedKinds[builder.name] = mixed.bigInteger ? LoadErrors.bigIntegers(column: builder.name, at: location)
                    : LoadErrors.mixedTypes(file.path, column: builder.name, was: mixed.was.displayName, at: location)
            }
        }
        var columns = builders.map { $0.build() }
        var notes: [String] = []
        if let surveyRows {
            for index in columns.indices where index < surveyRows.descriptions.count {
                let description = surveyRows.descriptions[index].trimmingSpaces
                if !description.isEmpty, description != columns[index].name { columns[index].description = description }
            }
            notes.append(surveyRows.note(headerLine: headerRecord.line))
        }
        if let footer { notes.append(footer.note) }
        var table = Table(name: tableName, columns: columns, rowCount: pass.rowCount, source: file.path)
        table.notes = notes
        var result = LoadResult(table: table, format: .csv, warnings: warnings, skippedLines: pass.skippedLines,
                                mixedKinds: mixedKinds)
        result.delimiter = delimiter
        return result
    }

    // MARK: Two cores

    /// Reads a large file on two cores: each thread tokenizes every record and fills half
    /// of the columns (every builder belongs to one thread). The first thread checks UTF-8,
    /// reports errors and hands file pages back once both threads are past them; the second
    /// only parses. Nil (read on one core) for small files, one column, lenient loads and
    /// declared column types (where a row may be dropped for all columns at once).
    /// Measured on orders.csv (5.5M rows, 6 columns): see the commit message.
    private func readInTwo(builders: [ColumnBuilder], declared: [ColumnType?], delimiter: UInt8,
                           utf8: UTF8Validator, from start: Int, line: Int) throws(Diagnostic) -> Pass? {
        guard let threshold = options.twoCoresFrom, bytes.count - start >= threshold, builders.count >= 2, !options.lenient,
              declared.allSatisfy({ $0 == nil }), sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 else { return nil }
        // Alternate columns between the threads (neighbouring columns tend to differ in kind).
        let first = builders.indices.filter { $0 % 2 == 0 }, second = builders.indices.filter { $0 % 2 == 1 }
        let progress = PassProgress()
        var helper = Pass(reader: self, delimiter: delimiter, builders: builders, columns: second,
                          utf8: utf8, skipStarts: [])
        helper.role = .helper(progress)
        var main = Pass(reader: self, delimiter: delimiter, builders: builders, columns: first,
                        utf8: utf8, skipStarts: [])
        main.role = .leader(progress)
        let helperBox = UncheckedBox(helper)
        let thread = BackgroundThread {
            do {
                try helperBox.value.run(from: start, line: line)
            } catch {
                progress.helperFailed()
            }
            progress.helperFinished()
        }
        do {
            try main.run(from: start, line: line)
        } catch {
            progress.leaderFailed()
            thread.join()
            throw error
        }
        thread.join()
        if options.shouldStop?() == true { throw LoadErrors.interrupted(file.path) }
        // Both threads saw the same records; they can only disagree through a bug. Then the
        // columns of both are in doubt: read the file again on one core.
        guard !progress.didHelperFail, helperBox.value.rowCount == main.rowCount else { return nil }
        main.textStarts.merge(helperBox.value.textStarts) { first, _ in first }
        return main
    }

    // MARK: One pass over the records

    /// Reads records and hands each field to its column's builder.
    private struct Pass {
        let reader: CSVReader
        let delimiter: UInt8
        let builders: [ColumnBuilder]
        /// The columns this pass fills (all of them, or those read again as text).
        let columns: [Int]
        var utf8: UTF8Validator
        /// Records skipped by the first pass, by start offset, so a second pass skips them too.
        let skipStarts: Set<Int>
        var rowCount = 0
        var skippedLines: [Int] = []
        var skippedStarts: [Int] = []
        /// Where each column's first text is (offset, line, length), by column.
        var textStarts: [Int: (offset: Int, line: Int, length: Int)] = [:]
        /// Alone, or one of two threads reading the same records (see readInTwo).
        var role = Role.alone
        /// False for the pass that reads text again for columns that fell back to it.
        var isFirstPass = true

        enum Role {
            case alone
            /// Checks, reports, and releases file pages both threads have passed.
            case leader(PassProgress)
            /// Only parses its columns, and says how far it has come.
            case helper(PassProgress)
        }

        init(reader: CSVReader, delimiter: UInt8, builders: [ColumnBuilder], columns: [Int],
             utf8: UTF8Validator, skipStarts: Set<Int>) {
            self.reader = reader
            self.delimiter = delimiter
            self.builders = builders
            self.columns = columns
            self.utf8 = utf8
            self.skipStarts = skipStarts
        }

        mutating func run(from start: Int, line: Int) throws(Diagnostic) {
            let bytes = reader.bytes
            let expected = builders.count
            var isHelper = false, progress: PassProgress?
            switch role {
            case .alone: break
            case .leader(let shared): progress = shared
            case .helper(let shared): progress = shared; isHelper = true
            }
            var tokenizer = CSVTokenizer(bytes: bytes, delimiter: delimiter, start: start, line: line,
                                         maxFields: expected + 1)
            defer { tokenizer.deallocate() }
            var scratch = GrowableBuffer<UInt8>(capacity: 256)
            defer { scratch.deallocate() }
            var escapes = GrowableBuffer<UInt8>(capacity: 256)
            defer { escapes.deallocate() }
            let unescapes = reader.options.unescapesBackslashes
            var nextRelease = start + Self.releaseWindow
            var nextCheck = start + Self.checkWindow
            let lenient = reader.options.lenient
            let base = bytes.baseAddress!
            let columnCount = columns.count
            // Unretained references: the builders array keeps them alive, and the loop
            // must not pay a retain and release per field.
            let builderRefs = builders.map { Unmanaged.passUnretained($0) }
            let declaredColumns = columns.filter { builders[$0].declaredType != nil }
            while true {
                let record: CSVRecord
                do {
                    guard let next = try tokenizer.next() else { break }
                    record = next
                } catch {
                    guard lenient, case .textAfterQuote(let offset, _, let recordStart, let recordLine) = error else {
                        throw reader.diagnostic(for: error, delimiter: delimiter)
                    }
                    tokenizer.skipToNextLine(from: offset)
                    skip(start: recordStart, line: recordLine)
                    continue
                }
                // A blank line is no record, except in a one-column file, where it is an empty cell.
                if record.isBlank && expected > 1 { continue }
                if !skipStarts.isEmpty, skipStarts.contains(record.start) { continue }
                if !isHelper, let bad = utf8.firstInvalid(from: record.start, to: tokenizer.position) {
                    guard lenient else {
                        throw LoadErrors.invalidUTF8(reader.source.location(at: bad), byte: bytes[bad])
                    }
                    skip(start: record.start, line: record.line)
                    continue
                }
                if record.fieldCount != expected {
                    guard lenient else {
                        // Point at the first extra field, or just past the last field found.
                        let last = tokenizer.spans[min(record.fieldCount, tokenizer.spanCapacity) - 1]
                        let offset = record.fieldCount > expected ? tokenizer.spans[expected].start
                                                                  : last.end + (last.quoted ? 1 : 0)
                        throw LoadErrors.raggedRow(reader.source.location(at: offset, line: record.line),
                                                   found: record.fieldCount, expected: expected)
                    }
                    skip(start: record.start, line: record.line)
                    continue
                }
                // A lenient load checks the row's declared columns first: a row it skips must
                // leave nothing behind in any column, its type included.
                if lenient, !declaredColumns.isEmpty, !declaredColumns.allSatisfy({ index in
                    let span = tokenizer.spans[index]
                    return builders[index].accepts(CSVReader.fieldBytes(span, base: base, scratch: &scratch), quoted: span.quoted)
                }) {
                    skip(start: record.start, line: record.line)
                    continue
                }
                var filled = 0
                while filled < columnCount {
                    let index = columns[filled]
                    let span = tokenizer.spans[index]
                    var field = CSVReader.fieldBytes(span, base: base, scratch: &scratch)
                    if unescapes { field = CSVReader.unescaped(field, scratch: &escapes) }
                    let appended = builderRefs[index]._withUnsafeGuaranteedRef { $0.appendCSVField(field, quoted: span.quoted) }
                    if appended == .turnedToText, isFirstPass {
                        if textStarts[index] == nil { textStarts[index] = (span.start, record.line, max(1, span.end - span.start)) }
                    } else if appended == .rejected {
                        let builder = builders[index]
                        guard lenient else {
                            throw LoadErrors.notOfDeclaredType(
                                reader.source.location(at: span.start, line: record.line, length: max(1, span.end - span.start)),
                                value: String(decoding: field.buffer, as: UTF8.self), column: builder.name,
                                type: builder.declaredDescription)
                        }
                        for undo in columns.prefix(filled) { builders[undo].removeLastRow() }
                        skip(start: record.start, line: record.line)
                        break
                    }
                    filled += 1
                }
                if filled == columnCount { rowCount += 1 }
                if record.start >= nextCheck {
                    nextCheck = record.start + Self.checkWindow
                    if reader.options.shouldStop?() == true {
                        if isHelper { return }   // the leader reports it
                        throw LoadErrors.interrupted(reader.file.path)
                    }
                    if !isHelper, let report = reader.options.progress { report(Double(record.start) / Double(bytes.count)) }
                }
                if record.start >= nextRelease {
                    nextRelease = record.start + Self.releaseWindow
                    if isHelper {
                        progress?.helperReached(record.start)
                        if progress?.didLeaderFail == true { return }
                        continue
                    }
                    // With a helper, only pages both threads have read go back.
                    reader.file.release(before: progress.map { min(record.start, $0.helperPosition) } ?? record.start)
                }
            }
        }

        static let releaseWindow = 16 << 20
        /// How often a load reports progress and asks whether to stop.
        static let checkWindow = 1 << 20

        private mutating func skip(start: Int, line: Int) {
            skippedLines.append(line)
            skippedStarts.append(start)
        }
    }

    // MARK: Field text

    /// A field's bytes with quotes removed and doubled quotes collapsed.
    @inline(__always)
    fileprivate static func fieldBytes(_ span: FieldSpan, base: UnsafePointer<UInt8>,
                                       scratch: inout GrowableBuffer<UInt8>) -> FieldBytes {
        if !span.escaped { return FieldBytes(base: base + span.start, count: span.end - span.start) }
        scratch.removeAll()
        var i = span.start
        while i < span.end {
            scratch.append(base[i])
            i += base[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return FieldBytes(base: UnsafePointer(scratch.base), count: scratch.count)
    }

    /// A TSV field with custq's escapes (`\t \n \r \\`) turned back into what they stand
    /// for; a backslash before anything else stays as it is.
    fileprivate static func unescaped(_ field: FieldBytes, scratch: inout GrowableBuffer<UInt8>) -> FieldBytes {
        let backslash = UInt8(ascii: "\\")
        guard field.buffer.contains(backslash) else { return field }
        scratch.removeAll()
        var i = 0
        while i < field.count {
            let byte = field[i]
            if byte == backslash, i + 1 < field.count {
                switch field[i + 1] {
                case UInt8(ascii: "t"): scratch.append(0x09); i += 2; continue
                case UInt8(ascii: "n"): scratch.append(0x0A); i += 2; continue
                case UInt8(ascii: "r"): scratch.append(0x0D); i += 2; continue
                case backslash: scratch.append(backslash); i += 2; continue
                default: break
                }
            }
            scratch.append(byte)
            i += 1
        }
        return FieldBytes(base: UnsafePointer(scratch.base), count: scratch.count)
    }

    private func text(of span: FieldSpan) -> String {
        var scratch = GrowableBuffer<UInt8>(capacity: 64)
        defer { scratch.deallocate() }
        return String(decoding: Self.fieldBytes(span, base: bytes.baseAddress!, scratch: &scratch).buffer, as: UTF8.self)
    }

    // MARK: Checks before reading

    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    fileprivate func diagnostic(for failure: CSVTokenizer.Failure, delimiter: UInt8) -> Diagnostic {
        switch failure {
        case .unterminatedQuote(let offset, let line):
            LoadErrors.unterminatedQuote(source.location(at: offset, line: line))
        case .textAfterQuote(let offset, let line, _, _):
            LoadErrors.textAfterClosingQuote(source.location(at: offset, line: line),
                                             found: source.describe(at: offset),
                                             delimiter: CSVDialect.describe(delimiter))
        }
    }

    // MARK: Header

    /// Gives empty and repeated header names a unique name, with a warning for each.
    private func uniqueNames(_ names: inout [String], headerLine: Int, fieldStarts: [Int]) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        var seen = Set<String>()
        for index in names.indices {
            let original = names[index]
            var candidate = original.isEmpty ? "column\(index + 1)" : original
            var suffix = 2
            while seen.contains(candidate.lowercased()) {
                candidate = (original.isEmpty ? "column\(index + 1)" : original) + "_\(suffix)"
                suffix += 1
            }
            if candidate != original {
                warnings.append(LoadErrors.renamedHeader(source.location(at: fieldStarts[index], line: headerLine,
                                                                         length: max(1, original.utf8.count)),
                                                         from: original, to: candidate))
            }
            seen.insert(candidate.lowercased())
            names[index] = candidate
        }
        return warnings
    }

    private func declaredTypes(for names: [String]) throws(Diagnostic) -> [ColumnType?] {
        var result = [ColumnType?](repeating: nil, count: names.count)
        for (column, type) in options.columnTypes {
            guard let index = names.firstIndex(where: { $0 == column })
                    ?? names.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
                throw LoadErrors.unknownColumnOverride(file.path, column: column, columns: names)
            }
            result[index] = type
        }
        return result
    }

    /// Rows expected, from the average record length of the first 64 KiB, plus 10%.
    private func estimateRows(from start: Int) -> Int {
        let sampleEnd = min(bytes.count, start + 64 * 1024)
        var lines = 0
        for i in start..<sampleEnd where bytes[i] == UInt8(ascii: "\n") { lines += 1 }
        guard lines > 0 else { return 16 }
        let averageLength = Double(sampleEnd - start) / Double(lines)
        return Int(Double(bytes.count - start) / averageLength * 1.1) + 16
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
