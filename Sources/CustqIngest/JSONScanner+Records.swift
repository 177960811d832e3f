import CustqDiagnostics
import CustqStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records: arrays of objects and NDJSON lines, one record at a time, and what is done
/// with a record that cannot be read.
extension JSONScanner {
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

    mutating func record(source: SourceText, lenientRecovery: Bool) throws(Diagnostic) {
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
    mutating func requireLineEnd(source: SourceText) throws(Diagnostic) {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
                || bytes[position] == UInt8(ascii: "\r") { position += 1 }
        if position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
            throw error(expected: "the end of the line after a record", source: source)
        }
    }

    mutating func object(source: SourceText) throws(Diagnostic) {
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

    func newBuilder(named name: String) -> ColumnBuilder {
        let declared = options.columnTypes.first { $0.key.lowercased() == name.lowercased() }?.value
        let builder = ColumnBuilder(name: name, declaredType: declared, format: options.format(of: name), expectedRows: expectedRows)
        for _ in 0..<rowCount { builder.appendNull() }
        return builder
    }

    /// `"key": value` of a rare key, kept for the other column.
    mutating func keepRareField(from keyStart: Int, source: SourceText) throws(Diagnostic) {
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
    mutating func finishRow() {
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
    func wanted(_ column: Int) -> Bool { rereading?.contains(column) ?? true }
}
