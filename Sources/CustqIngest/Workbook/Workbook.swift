import CustqDiagnostics
import CustqStore
import Foundation
import ZIPFoundation

/// An Excel workbook (.xlsx): a zip archive of XML parts. What loading a sheet needs is
/// read here: the sheets' names and parts, the shared strings, which cell styles show
/// dates, and the date system (1900, with its leap-year quirk, or 1904).
struct Workbook {
    let path: String
    let archive: Archive
    /// In workbook order: the sheet's name and its part's path in the archive.
    let sheets: [(name: String, part: String)]
    /// Shared strings, each already written as a CSV field (quoted where needed).
    let sharedStrings: [[UInt8]]
    /// Per cell style (`s="3"`): whether its number format shows a date, a date and time, or a time.
    let styles: [DateKind?]
    let date1904: Bool

    enum DateKind { case date, dateTime, time }

    init(path: String) throws(Diagnostic) {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw LoadErrors.badWorkbook(path, "is not a zip archive, so not an .xlsx workbook (a password-protected workbook is not one either)")
        }
        guard let workbookXML = try Self.part("xl/workbook.xml", of: archive, path: path) else {
            throw LoadErrors.badWorkbook(path, "holds no xl/workbook.xml: it is a zip archive, but not an Excel workbook")
        }
        let relations = try Self.part("xl/_rels/workbook.xml.rels", of: archive, path: path) ?? []
        var targets: [String: String] = [:]
        var sharedStringsPart = "xl/sharedStrings.xml", stylesPart = "xl/styles.xml"
        relations.withUnsafeBufferPointer { buffer in
            var scan = XMLScan(buffer)
            while let tag = scan.nextTag() {
                guard scan.named(tag, "Relationship"), let id = scan.attribute(tag, "Id"), let target = scan.attribute(tag, "Target") else { continue }
                var part = scan.string(target)
                part = part.hasPrefix("/") ? String(part.dropFirst()) : "xl/" + part
                targets[scan.string(id)] = part
                let type = scan.attribute(tag, "Type").map(scan.string) ?? ""
                if type.hasSuffix("/sharedStrings") { sharedStringsPart = part }
                if type.hasSuffix("/styles") { stylesPart = part }
            }
        }
        var sheets: [(String, String)] = []
        var date1904 = false
        workbookXML.withUnsafeBufferPointer { buffer in
            var scan = XMLScan(buffer)
            var index = 0
            while let tag = scan.nextTag() {
                if scan.named(tag, "workbookPr"), let value = scan.attribute(tag, "date1904") {
                    date1904 = ["1", "true"].contains(scan.string(value))
                }
                guard scan.named(tag, "sheet"), !tag.isClosing, let name = scan.attribute(tag, "name") else { continue }
                index += 1
                let id = scan.attribute(tag, "id").map(scan.string) ?? ""
                sheets.append((scan.string(name), targets[id] ?? "xl/worksheets/sheet\(index).xml"))
            }
        }
        guard !sheets.isEmpty else { throw LoadErrors.badWorkbook(path, "has no sheets") }
        self.sheets = sheets
        self.date1904 = date1904
        sharedStrings = Self.sharedStrings(try Self.part(sharedStringsPart, of: archive, path: path) ?? [])
        styles = Self.dateStyles(try Self.part(stylesPart, of: archive, path: path) ?? [])
    }

    /// The bytes of a part, nil when the archive has no such part.
    static func part(_ name: String, of archive: Archive, path: String) throws(Diagnostic) -> [UInt8]? {
        guard let entry = archive[name] else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 30)))
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { data in bytes.append(contentsOf: data) }
        } catch {
            throw LoadErrors.badWorkbook(path, "has a damaged part \(name) (\(error))")
        }
        return bytes
    }

    // MARK: Shared strings

    /// `<si>` entries: the text of their `<t>` elements (rich text runs joined; phonetic
    /// guides, `<rPh>`, left out), each written as a CSV field.
    static func sharedStrings(_ xml: [UInt8]) -> [[UInt8]] {
        var strings: [[UInt8]] = []
        xml.withUnsafeBufferPointer { buffer in
            var scan = XMLScan(buffer)
            var current: [UInt8]?
            var phonetic = false
            while let tag = scan.nextTag() {
                if scan.named(tag, "si") {
                    if tag.isClosing || tag.isEmpty {
                        strings.append(csvField(current ?? []))
                        current = nil
                    } else {
                        current = []
                    }
                } else if scan.named(tag, "rPh") {
                    phonetic = !tag.isClosing && !tag.isEmpty
                } else if scan.named(tag, "t"), !tag.isClosing, !tag.isEmpty, !phonetic {
                    let start = tag.end
                    var end = start
                    while end < buffer.count, buffer[end] != UInt8(ascii: "<") { end += 1 }
                    current?.append(contentsOf: XMLScan.decoded(UnsafeBufferPointer(rebasing: buffer[start..<end])).utf8)
                }
            }
        }
        return strings
    }

    /// Text as a CSV field: quoted when it holds a comma, a quote, a line break or spaces at
    /// its ends; an empty text is `""` (an empty cell is written as nothing at all).
    static func csvField(_ text: [UInt8]) -> [UInt8] {
        let needsQuotes = text.isEmpty || text.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || text.first == 0x20 || text.last == 0x20
        guard needsQuotes else { return text }
        var field: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text {
            field.append(byte)
            if byte == UInt8(ascii: "\"") { field.append(byte) }
        }
        field.append(UInt8(ascii: "\""))
        return field
    }

    // MARK: Dates

    /// Built-in number formats that show dates or times (ECMA-376 part 1, 18.8.30, and the
    /// East Asian ones Excel fills in by locale).
    static func builtInKind(_ id: Int) -> DateKind? {
        switch id {
        case 14...17, 27...31, 34...36, 50...58: .date
        case 22: .dateTime
        case 18...21, 32, 33, 45...47: .time
        default: nil
        }
    }

    /// Whether a format code shows a date or a time: y, d or m with them is a date; h or s a
    /// time. Quoted text, escaped characters and [colours] do not count; `[h]` (elapsed
    /// hours) does.
    static func kind(ofFormat code: String) -> DateKind? {
        var letters = Set<Character>()
        var quoted = false, escaped = false, bracket = false
        var bracketText = ""
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            if quoted { if character == "\"" { quoted = false }; continue }
            if bracket {
                if character == "]" {
                    bracket = false
                    if ["h", "hh", "m", "mm", "s", "ss"].contains(bracketText) { letters.insert("h") }
                } else {
                    bracketText.append(character)
                }
                continue
            }
            switch character {
            case "\\", "_", "*": escaped = true
            case "\"": quoted = true
            case "[": bracket = true; bracketText = ""
            default: letters.insert(character)
            }
        }
        let date = letters.contains("y") || letters.contains("d")
        let time = letters.contains("h") || letters.contains("s")
        if date && time { return .dateTime }
        if date { return .date }
        if time { return .time }
        return nil
    }

    /// Per style index of `<cellXfs>`: the date kind its number format shows.
    static func dateStyles(_ xml: [UInt8]) -> [DateKind?] {
        var custom: [Int: DateKind?] = [:]
        var styles: [DateKind?] = []
        xml.withUnsafeBufferPointer { buffer in
            var scan = XMLScan(buffer)
            var inCellXfs = false
            while let tag = scan.nextTag() {
                if scan.named(tag, "numFmt"), let id = scan.attribute(tag, "numFmtId").flatMap(scan.integer),
                   let code = scan.attribute(tag, "formatCode") {
                    custom[id] = kind(ofFormat: scan.string(code))
                } else if scan.named(tag, "cellXfs") {
                    inCellXfs = !tag.isClosing && !tag.isEmpty
                } else if inCellXfs, scan.named(tag, "xf"), !tag.isClosing {
                    let id = scan.attribute(tag, "numFmtId").flatMap(scan.integer) ?? 0
                    styles.append(custom[id] ?? builtInKind(id))
                }
            }
        }
        return styles
    }

    /// The day of a whole serial date; nil for 1900-02-29, which never was.
    func day(ofSerial serial: Int) -> Int? {
        guard serial >= 0, serial < 2_958_466 else { return nil }
        if date1904 { return CivilDate.dayNumber(year: 1904, month: 1, day: 1) + serial }
        if serial == 60 { return nil }
        return CivilDate.dayNumber(year: 1899, month: 12, day: serial < 60 ? 31 : 30) + serial
    }

    /// A serial date (days since the epoch, the fraction a time of day) as Excel shows it:
    /// `2024-01-05`, `2024-01-05 10:15:00`, `10:15:00`. In the 1900 system serial 60 is
    /// 1900-02-29, a day that never was (Excel kept Lotus 1-2-3's leap-year error); nil for it.
    func written(serial: Double, as kind: DateKind) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var whole = Int(serial.rounded(.down))
        var millis = Int(((serial - Double(whole)) * 86_400_000).rounded())
        if millis >= 86_400_000 {
            whole += 1
            millis -= 86_400_000
        }
        guard let day = day(ofSerial: whole) else { return nil }
        let seconds = millis / 1000, fraction = millis % 1000
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        var time = "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction > 0 { time += "." + String(String(fraction + 1000).dropFirst()) }
        switch kind {
        case .date: return CivilDate.isoString(ofDay: day)
        case .dateTime: return CivilDate.isoString(ofDay: day) + " " + time
        case .time: return time
        }
    }
}
