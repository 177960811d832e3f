#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqDiagnostics
import CustqStore

/// The data records of a CSV file read into the columns' builders, on one core or two.
extension CSVReader {
    // MARK: Two cores

    /// Reads a large file on two cores: each thread tokenizes every record and fills half
    /// of the columns (every builder belongs to one thread). The first thread checks UTF-8,
    /// reports errors and hands file pages back once both threads are past them; the second
    /// only parses. Nil (read on one core) for small files, one column, lenient loads and
    /// declared column types (where a row may be dropped for all columns at once).
    /// Measured on orders.csv (5.5M rows, 6 columns): see the commit message.
    func readInTwo(builders: [ColumnBuilder], declared: [ColumnType?], delimiter: UInt8,
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
    struct Pass {
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

        /// What the loop of `run` works with: the tokenizer and the buffers fields are
        /// unquoted and unescaped into.
        struct Scratch {
            var tokenizer: CSVTokenizer
            var unquoted = GrowableBuffer<UInt8>(capacity: 256)
            var unescaped = GrowableBuffer<UInt8>(capacity: 256)

            func deallocate() {
                tokenizer.deallocate()
                unquoted.deallocate()
                unescaped.deallocate()
            }
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

        private var progress: PassProgress? {
            switch role {
            case .alone: nil
            case .leader(let shared), .helper(let shared): shared
            }
        }
        private var isHelper: Bool {
            if case .helper = role { true } else { false }
        }

        mutating func run(from start: Int, line: Int) throws(Diagnostic) {
            var scratch = Scratch(tokenizer: CSVTokenizer(bytes: reader.bytes, delimiter: delimiter, start: start, line: line,
                                                          maxFields: builders.count + 1))
            defer { scratch.deallocate() }
            var nextRelease = start + Self.releaseWindow
            var nextCheck = start + Self.checkWindow
            // Unretained references: the builders array keeps them alive, and the loop
            // must not pay a retain and release per field.
            let builderRefs = builders.map { Unmanaged.passUnretained($0) }
            let declaredColumns = columns.filter { builders[$0].declaredType != nil }
            while let record = try nextRecord(&scratch.tokenizer) {
                guard try accepts(record, declaredColumns: declaredColumns, scratch: &scratch) else { continue }
                if try fill(record, builderRefs: builderRefs, scratch: &scratch) { rowCount += 1 }
                if record.start >= nextCheck {
                    nextCheck = record.start + Self.checkWindow
                    if reader.options.shouldStop?() == true {
                        if isHelper { return }   // the leader reports it
                        throw LoadErrors.interrupted(reader.file.path)
                    }
                    if !isHelper, let report = reader.options.progress { report(Double(record.start) / Double(reader.bytes.count)) }
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

        /// The next record, nil at the end; a lenient load skips a record whose closing
        /// quote is followed by text.
        @inline(__always)
        private mutating func nextRecord(_ tokenizer: inout CSVTokenizer) throws(Diagnostic) -> CSVRecord? {
            while true {
                do {
                    return try tokenizer.next()
                } catch {
                    guard reader.options.lenient, case .textAfterQuote(let offset, _, let recordStart, let recordLine) = error else {
                        throw reader.diagnostic(for: error, delimiter: delimiter)
                    }
                    tokenizer.skipToNextLine(from: offset)
                    skip(start: recordStart, line: recordLine)
                }
            }
        }

        /// Whether a record is a row to read: not blank, valid UTF-8, with as many fields as
        /// the header. A strict load stops at a bad one; a lenient load skips it.
        @inline(__always)
        private mutating func accepts(_ record: CSVRecord, declaredColumns: [Int], scratch: inout Scratch) throws(Diagnostic) -> Bool {
            let expected = builders.count
            // A blank line is no record, except in a one-column file, where it is an empty cell.
            if record.isBlank && expected > 1 { return false }
            if !skipStarts.isEmpty, skipStarts.contains(record.start) { return false }
            let lenient = reader.options.lenient
            if !isHelper, let bad = utf8.firstInvalid(from: record.start, to: scratch.tokenizer.position) {
                guard lenient else {
                    throw LoadErrors.invalidUTF8(reader.source.location(at: bad), byte: reader.bytes[bad])
                }
                skip(start: record.start, line: record.line)
                return false
            }
            if record.fieldCount != expected {
                guard lenient else {
                    // Point at the first extra field, or just past the last field found.
                    let spans = scratch.tokenizer.spans
                    let last = spans[min(record.fieldCount, scratch.tokenizer.spanCapacity) - 1]
                    let offset = record.fieldCount > expected ? spans[expected].start : last.end + (last.quoted ? 1 : 0)
                    throw LoadErrors.raggedRow(reader.source.location(at: offset, line: record.line),
                                               found: record.fieldCount, expected: expected)
                }
                skip(start: record.start, line: record.line)
                return false
            }
            // A lenient load checks the row's declared columns first: a row it skips must
            // leave nothing behind in any column, its type included.
            if lenient, !declaredColumns.isEmpty {
                let base = reader.bytes.baseAddress!
                for index in declaredColumns {
                    let span = scratch.tokenizer.spans[index]
                    if !builders[index].accepts(CSVReader.fieldBytes(span, base: base, scratch: &scratch.unquoted), quoted: span.quoted) {
                        skip(start: record.start, line: record.line)
                        return false
                    }
                }
            }
            return true
        }

        /// Hands the record's fields to this pass's builders; false when a lenient load
        /// skips the row (a value not of its column's declared type), with nothing left behind.
        @inline(__always)
        private mutating func fill(_ record: CSVRecord, builderRefs: [Unmanaged<ColumnBuilder>],
                                   scratch: inout Scratch) throws(Diagnostic) -> Bool {
            let base = reader.bytes.baseAddress!
            let unescapes = reader.options.unescapesBackslashes
            var filled = 0
            while filled < columns.count {
                let index = columns[filled]
                let span = scratch.tokenizer.spans[index]
                var field = CSVReader.fieldBytes(span, base: base, scratch: &scratch.unquoted)
                if unescapes { field = CSVReader.unescaped(field, scratch: &scratch.unescaped) }
                let appended = builderRefs[index]._withUnsafeGuaranteedRef { $0.appendCSVField(field, quoted: span.quoted) }
                if appended == .turnedToText, isFirstPass {
                    if textStarts[index] == nil { textStarts[index] = (span.start, record.line, max(1, span.end - span.start)) }
                } else if appended == .rejected {
                    let builder = builders[index]
                    guard reader.options.lenient else {
                        throw LoadErrors.notOfDeclaredType(
                            reader.source.location(at: span.start, line: record.line, length: max(1, span.end - span.start)),
                            value: String(decoding: field.buffer, as: UTF8.self), column: builder.name,
                            type: builder.declaredDescription)
                    }
                    for undo in columns.prefix(filled) { builders[undo].removeLastRow() }
                    skip(start: record.start, line: record.line)
                    return false
                }
                filled += 1
            }
            return true
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
    static func fieldBytes(_ span: FieldSpan, base: UnsafePointer<UInt8>,
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
    static func unescaped(_ field: FieldBytes, scratch: inout GrowableBuffer<UInt8>) -> FieldBytes {
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
}
