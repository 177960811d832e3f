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

    var bytes: UnsafeBufferPointer<UInt8> {
        footer.map { UnsafeBufferPointer(rebasing: file.bytes[..<$0.start]) } ?? file.bytes
    }
    var source: SourceText { file.source }

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
        let header: Header
        switch try readHeader(from: start, line: headerLine, delimiter: delimiter, utf8: &utf8) {
        case .header(let read): header = read
        case .endsBefore(let found):
            var reader = self
            reader.footer = found
            return try reader.read()
        }
        let (builders, pass) = try readData(header: header, delimiter: delimiter, utf8: utf8)
        if pass.rowCount == 0 && pass.skippedLines.isEmpty { throw LoadErrors.headerOnly(file.path) }
        return result(header: header, builders: builders, pass: pass, delimiter: delimiter)
    }

    // MARK: Header

    /// The header as read: the columns' names and where the data starts.
    struct Header {
        var names: [String]
        var line: Int
        var dataStart: Int
        var firstDataLine: Int
        var surveyRows: SurveyHeaderRows?
        var warnings: [Diagnostic] = []
    }

    enum HeaderRead {
        case header(Header)
        /// Report footers after the data (Salesforce's "Grand Totals", "Confidential …"):
        /// the file is read again with the data ending before them.
        case endsBefore(ReportFooter)
    }

    /// Reads the header record, again with room for every field when it has more than
    /// first thought, and the survey tools' extra header rows after it.
    private func readHeader(from start: Int, line headerLine: Int, delimiter: UInt8,
                            utf8: inout UTF8Validator) throws(Diagnostic) -> HeaderRead {
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
        if footer == nil, let found = ReportFooter.find(in: bytes, after: probe.position, delimiter: delimiter,
                                                         fieldCount: fieldCount) {
            return .endsBefore(found)
        }
        guard options.hasHeader else {
            return .header(Header(names: (1...fieldCount).map { "column\($0)" }, line: headerRecord.line,
                                  dataStart: headerRecord.start, firstDataLine: headerRecord.line))
        }
        var names = (0..<fieldCount).map { text(of: probe.spans[$0]).trimmingSpaces }
        let starts = (0..<fieldCount).map { probe.spans[$0].start }
        let warnings = uniqueNames(&names, headerLine: headerRecord.line, fieldStarts: starts)
        var header = Header(names: names, line: headerRecord.line, dataStart: probe.position, firstDataLine: probe.line,
                            warnings: warnings)
        // Survey exports with more header rows (SurveyMonkey's answer labels, Qualtrics'
        // question text and import ids): their text describes the columns.
        var following: [(texts: [String], end: Int, line: Int)] = []
        while following.count < 2, let record = try? probe.next(), !record.isBlank {
            let texts = (0..<min(record.fieldCount, probe.spanCapacity)).map { text(of: probe.spans[$0]) }
            following.append((texts, probe.position, probe.line))
        }
        header.surveyRows = SurveyHeaderRows.recognise(following.map(\.texts), names: names)
        if let rows = header.surveyRows?.rows {
            header.dataStart = following[rows - 1].end
            header.firstDataLine = following[rows - 1].line
        }
        return .header(header)
    }

    // MARK: Data

    /// The data read into one builder per column: on two cores when it can, and again as
    /// text for the columns whose inferred type had to fall back to it.
    private func readData(header: Header, delimiter: UInt8,
                          utf8: UTF8Validator) throws(Diagnostic) -> ([ColumnBuilder], Pass) {
        let declared = try declaredTypes(for: header.names)
        let expectedRows = estimateRows(from: header.dataStart)
        func makeBuilders() -> [ColumnBuilder] {
            header.names.enumerated().map { index, name in
                ColumnBuilder(name: name, declaredType: declared[index], format: options.format(of: name), expectedRows: expectedRows)
            }
        }
        var builders = makeBuilders()
        var pass: Pass
        if let parallel = try readInTwo(builders: builders, declared: declared, delimiter: delimiter, utf8: utf8,
                                        from: header.dataStart, line: header.firstDataLine) {
            pass = parallel
        } else {
            if builders.contains(where: { $0.rows > 0 }) { builders = makeBuilders() }   // a two-core read gave up
            pass = Pass(reader: self, delimiter: delimiter, builders: builders, columns: Array(builders.indices),
                        utf8: utf8, skipStarts: [])
            try pass.run(from: header.dataStart, line: header.firstDataLine)
        }
        let rereads = builders.indices.filter { builders[$0].needsTextReread }
        if !rereads.isEmpty {
            for index in rereads { builders[index].beginTextReread() }
            var second = Pass(reader: self, delimiter: delimiter, builders: builders, columns: rereads,
                              utf8: utf8, skipStarts: Set(pass.skippedStarts))
            second.isFirstPass = false
            try second.run(from: header.dataStart, line: header.firstDataLine)
        }
        return (builders, pass)
    }

    /// The table the builders hold, with what the load found: columns of mixed kinds,
    /// survey header rows, a report footer.
    private func result(header: Header, builders: [ColumnBuilder], pass: Pass, delimiter: UInt8) -> LoadResult {
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
        if let surveyRows = header.surveyRows {
            for index in columns.indices where index < surveyRows.descriptions.count {
                let description = surveyRows.descriptions[index].trimmingSpaces
                if !description.isEmpty, description != columns[index].name { columns[index].description = description }
            }
            notes.append(surveyRows.note(headerLine: header.line))
        }
        if let footer { notes.append(footer.note) }
        var table = Table(name: tableName, columns: columns, rowCount: pass.rowCount, source: file.path)
        table.notes = notes
        var result = LoadResult(table: table, format: .csv, warnings: header.warnings, skippedLines: pass.skippedLines,
                                mixedKinds: mixedKinds)
        result.delimiter = delimiter
        return result
    }

    // MARK: Field text

    private func text(of span: FieldSpan) -> String {
        var scratch = GrowableBuffer<UInt8>(capacity: 64)
        defer { scratch.deallocate() }
        return String(decoding: Self.fieldBytes(span, base: bytes.baseAddress!, scratch: &scratch).buffer, as: UTF8.self)
    }

    // MARK: Checks before reading

    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    func diagnostic(for failure: CSVTokenizer.Failure, delimiter: UInt8) -> Diagnostic {
        switch failure {
        case .unterminatedQuote(let offset, let line):
            LoadErrors.unterminatedQuote(source.location(at: offset, line: line))
        case .textAfterQuote(let offset, let line, _, _):
            LoadErrors.textAfterClosingQuote(source.location(at: offset, line: line),
                                             found: source.describe(at: offset),
                                             delimiter: CSVDialect.describe(delimiter))
        }
    }

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
