import CustqDiagnostics
import CustqStore
import ZIPFoundation

/// Turns one sheet of a workbook into CSV text, a megabyte of XML at a time as it is
/// decompressed, so the CSV reader's type inference reads the cells' text exactly as it
/// reads a file's. Sheet row N is CSV line N (missing rows are blank lines, which the reader
/// passes over), so messages name the sheet's own rows. Each cell is written as Excel
/// shows its value: shared and inline strings, numbers as stored, TRUE/FALSE as true/false,
/// dates and times from the cell's number format; error values (`#N/A`) are left empty and
/// counted.
struct SheetReader {
    let workbook: Workbook
    let sheet: (name: String, part: String)
    let shouldStop: (@Sendable () -> Bool)?

    /// What reading found besides the cells.
    struct Findings {
        var errorCells = 0
        var firstErrorCell: String?
        var errorValue = ""
    }

    func csv() throws(Diagnostic) -> (bytes: UnsafeMutableBufferPointer<UInt8>, findings: Findings) {
        guard let entry = workbook.archive[sheet.part] else {
            throw LoadErrors.badWorkbook(workbook.path, "lists sheet '\(sheet.name)' but holds no part \(sheet.part)")
        }
        var state = State(workbook: workbook, sheetName: sheet.name,
                          capacity: Int(min(entry.uncompressedSize / 3 + 1024, 1 << 32)))
        var pending: [UInt8] = []
        var failure: Diagnostic?
        do {
            _ = try workbook.archive.extract(entry, bufferSize: 64 << 10, skipCRC32: true) { data in
                guard failure == nil else { return }
                if shouldStop?() == true {
                    failure = LoadErrors.interrupted(workbook.path)
                    return
                }
                pending.append(contentsOf: data)
                // Read every complete row; keep the rest for the next piece.
                let done = pending.withUnsafeBufferPointer { buffer -> Int in
                    do throws(Diagnostic) {
                        return try state.read(buffer, final: false)
                    } catch {
                        failure = error
                        return buffer.count
                    }
                }
                pending.removeFirst(done)
            }
        } catch {
            state.output.deallocate()
            throw LoadErrors.badWorkbook(workbook.path, "has a damaged sheet '\(sheet.name)' (\(error))")
        }
        if failure == nil {
            pending.withUnsafeBufferPointer { buffer in
                do throws(Diagnostic) {
                    _ = try state.read(buffer, final: true)
                } catch {
                    failure = error
                }
            }
        }
        if let failure {
            state.output.deallocate()
            throw failure
        }
        return (UnsafeMutableBufferPointer(start: state.output.base, count: state.output.count), state.findings)
    }

    /// The reader between pieces of XML: where it is in the sheet and what it has written.
    private struct State {
        let workbook: Workbook
        let sheetName: String
        var output: GrowableBuffer<UInt8>
        var findings = Findings()
        var inSheetData = false
        var finished = false
        /// The sheet row last written, and how many fields each row has (the header's).
        var rowsWritten = 0
        var width: Int?
        /// Cells of the row being read: (column, CSV field bytes range in `cellBytes`).
        var cells: [(column: Int, start: Int, end: Int)] = []
        var cellBytes: [UInt8] = []

        init(workbook: Workbook, sheetName: String, capacity: Int) {
            self.workbook = workbook
            self.sheetName = sheetName
            output = GrowableBuffer(capacity: max(capacity, 1 << 16))
        }

        /// Reads the complete rows in `buffer`; returns how many bytes were used.
        mutating func read(_ buffer: UnsafeBufferPointer<UInt8>, final: Bool) throws(Diagnostic) -> Int {
            var scan = XMLScan(buffer)
            var used = 0
            while !finished, let tag = scan.nextTag() {
                if !inSheetData {
                    if scan.named(tag, "sheetData") {
                        if tag.isEmpty { finished = true } else { inSheetData = !tag.isClosing }
                    }
                    used = tag.end
                    continue
                }
                if scan.named(tag, "sheetData"), tag.isClosing {
                    finished = true
                    used = tag.end
                    break
                }
                guard scan.named(tag, "row"), !tag.isClosing else { used = tag.end; continue }
                let number = scan.attribute(tag, "r").flatMap(scan.integer) ?? rowsWritten + 1
                if tag.isEmpty {
                    used = tag.end
                    continue
                }
                // A row is read once all of it is here.
                guard let end = try readRow(&scan, number: number) else {
                    if final { throw LoadErrors.badWorkbook(workbook.path, "has a sheet '\(sheetName)' whose XML ends inside row \(number)") }
                    return used
                }
                used = end
            }
            if final, !finished, inSheetData {
                throw LoadErrors.badWorkbook(workbook.path, "has a sheet '\(sheetName)' whose XML ends early")
            }
            return finished ? buffer.count : used
        }

        /// Reads the cells of row `number` up to its `</row>`, and writes it; nil when the
        /// buffer ends first.
        private mutating func readRow(_ scan: inout XMLScan, number: Int) throws(Diagnostic) -> Int? {
            cells.removeAll(keepingCapacity: true)
            cellBytes.removeAll(keepingCapacity: true)
            var nextColumn = 0
            while true {
                // Most cells are `<c r="B7" s="3" t="s"><v>12</v></c>`: read those directly.
                switch scan.plainCell() {
                case .cell(let cell)?:
                    let column = cell.reference.flatMap { Self.column(of: $0, in: scan.bytes) } ?? nextColumn
                    nextColumn = column + 1
                    if let value = cell.value {
                        try addCell(column: column, row: number, type: cell.type.map { scan.bytes[$0] }, value: value, inline: nil,
                                    style: cell.style.flatMap(scan.integer), scan: scan)
                    }
                    continue
                case .incomplete?:
                    return nil
                case nil:
                    break
                }
                guard let tag = scan.nextTag() else { return nil }
                if scan.named(tag, "row"), tag.isClosing {
                    try write(row: number)
                    return tag.end
                }
                guard scan.named(tag, "c"), !tag.isClosing else { continue }
                let column = scan.attribute(tag, "r").flatMap { Self.column(of: $0, in: scan.bytes) } ?? nextColumn
                nextColumn = column + 1
                if tag.isEmpty { continue }
                let type = scan.attribute(tag, "t")
                let style = scan.attribute(tag, "s").flatMap(scan.integer)
                // The cell's value: <v>…</v>, or the <t> texts of an inline string <is>.
                var value: Range<Int>?
                var inline: [UInt8]?
                var phonetic = false
                var closed = false
                while let inner = scan.nextTag() {
                    if scan.named(inner, "c"), inner.isClosing { closed = true; break }
                    if inner.isClosing || inner.isEmpty {
                        if scan.named(inner, "rPh") { phonetic = false }
                        continue
                    }
                    if scan.named(inner, "rPh") { phonetic = true; continue }
                    if scan.named(inner, "v") || (scan.named(inner, "t") && !phonetic) {
                        var end = inner.end
                        while end < scan.bytes.count, scan.bytes[end] != UInt8(ascii: "<") { end += 1 }
                        guard end < scan.bytes.count else { return nil }
                        if scan.named(inner, "v") { value = inner.end..<end }
                        else { inline = (inline ?? []) + Array(XMLScan.decoded(UnsafeBufferPointer(rebasing: scan.bytes[inner.end..<end])).utf8) }
                    }
                }
                guard closed else { return nil }
                try addCell(column: column, row: number, type: type.map { scan.bytes[$0] }, value: value, inline: inline,
                            style: style, scan: scan)
            }
        }

        private mutating func addCell(column: Int, row: Int, type: UnsafeBufferPointer<UInt8>.SubSequence?, value: Range<Int>?,
                                      inline: [UInt8]?, style: Int?, scan: XMLScan) throws(Diagnostic) {
            let start = cellBytes.count
            // t="s" shared, "inlineStr", "str" (a formula's text), "b", "e" (#N/A), "d" (ISO), else a number.
            var code = UInt8(ascii: "n")
            if let type, let first = type.first {
                code = type.count == 1 ? first : (first == UInt8(ascii: "i") ? UInt8(ascii: "I") : (first == UInt8(ascii: "s") ? UInt8(ascii: "S") : first))
            }
            switch code {
            case UInt8(ascii: "s"):
                guard let value, let index = scan.integer(value) else { return }
                guard index < workbook.sharedStrings.count else {
                    throw LoadErrors.badWorkbook(workbook.path, "cell \(Self.reference(column, row)) of sheet '\(sheetName)' refers to "
                                                 + "shared string \(index), but the workbook has \(workbook.sharedStrings.count)")
                }
                cellBytes.append(contentsOf: workbook.sharedStrings[index])
            case UInt8(ascii: "I"):
                cellBytes.append(contentsOf: Workbook.csvField(inline ?? []))
            case UInt8(ascii: "S"):
                guard let value else { return }
                cellBytes.append(contentsOf: Workbook.csvField(Array(scan.string(value).utf8)))
            case UInt8(ascii: "b"):
                guard let value else { return }
                cellBytes.append(contentsOf: scan.bytes[value.lowerBound] == UInt8(ascii: "1") ? Array("true".utf8) : Array("false".utf8))
            case UInt8(ascii: "e"):
                findings.errorCells += 1
                if findings.firstErrorCell == nil {
                    findings.firstErrorCell = Self.reference(column, row)
                    findings.errorValue = value.map(scan.string) ?? ""
                }
                return
            case UInt8(ascii: "d"):
                guard let value else { return }
                cellBytes.append(contentsOf: Array(scan.string(value).replacing("T", with: " ").utf8))
            default:  // a number
                guard let value, !value.isEmpty else { return }
                if let style, style < workbook.styles.count, let kind = workbook.styles[style] {
                    // A whole serial (a date alone) is written without building a String.
                    if kind == .date, let day = scan.integer(value).flatMap(workbook.day(ofSerial:)) {
                        Self.appendISODate(day, to: &cellBytes)
                    } else if let serial = Double(String(decoding: UnsafeBufferPointer(rebasing: scan.bytes[value]), as: UTF8.self)) {
                        cellBytes.append(contentsOf: Array((workbook.written(serial: serial, as: kind) ?? "1900-02-29").utf8))
                    }
                } else {
                    cellBytes.append(contentsOf: scan.bytes[value])
                }
            }
            cells.append((column, start, cellBytes.count))
        }

        /// Writes the row read as a CSV line (after blank lines for rows the sheet skips).
        private mutating func write(row number: Int) throws(Diagnostic) {
            guard !cells.isEmpty else { return }
            if !cells.indices.dropFirst().allSatisfy({ cells[$0 - 1].column < cells[$0].column }) {
                cells.sort { $0.column < $1.column }
            }
            let width = self.width ?? (cells[cells.count - 1].column + 1)
            self.width = width
            if let beyond = cells.last, beyond.column >= width {
                throw LoadErrors.badWorkbook(workbook.path, "cell \(Self.reference(beyond.column, number)) of sheet '\(sheetName)' "
                                             + "holds a value right of the header's last column (\(Self.letters(width - 1)))")
            }
            while rowsWritten < number - 1 {
                output.append(0x0A)
                rowsWritten += 1
            }
            var next = 0
            for column in 0..<width {
                if column > 0 { output.append(UInt8(ascii: ",")) }
                if next < cells.count, cells[next].column == column {
                    let cell = cells[next]
                    cellBytes.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[cell.start..<cell.end])) }
                    next += 1
                }
            }
            output.append(0x0A)
            rowsWritten = max(rowsWritten, number)
        }

        /// `YYYY-MM-DD` of a day number.
        static func appendISODate(_ day: Int, to bytes: inout [UInt8]) {
            let (year, month, dayOfMonth) = CivilDate.components(ofDay: day)
            func digits(_ value: Int, _ count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    bytes.append(UInt8(48 + value / divisor % 10))
                    divisor /= 10
                }
            }
            digits(year, 4)
            bytes.append(UInt8(ascii: "-"))
            digits(month, 2)
            bytes.append(UInt8(ascii: "-"))
            digits(dayOfMonth, 2)
        }

        /// The column of a cell reference (`AB12` is 27).
        static func column(of reference: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            var column = 0
            var letters = 0
            for i in reference {
                let byte = bytes[i] | 0x20
                guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { break }
                column = column * 26 + Int(byte - UInt8(ascii: "a") + 1)
                letters += 1
            }
            return letters == 0 ? nil : column - 1
        }

        static func letters(_ column: Int) -> String {
            var n = column + 1
            var text = ""
            while n > 0 {
                let remainder = (n - 1) % 26
                text = String(Character(Unicode.Scalar(UInt8(65 + remainder)))) + text
                n = (n - 1) / 26
            }
            return text
        }

        static func reference(_ column: Int, _ row: Int) -> String { letters(column) + String(row) }
    }
}
