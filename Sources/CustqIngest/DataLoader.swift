import CustqDiagnostics
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a CSV, TSV, JSON or NDJSON file into a table.
public enum DataLoader {
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
        // `book.xlsx:Sheet2` names a sheet, unless a file is called that.
        if let colon = path.lastIndex(of: ":"), path[..<colon].lowercased().hasSuffix(".xlsx"), !Self.exists(path) {
            var options = options
            options.sheet = String(path[path.index(after: colon)...])
            return try loadWorkbook(path: String(path[..<colon]), options: options)
        }
        if path.lowercased().hasSuffix(".xlsx") || path.lowercased().hasSuffix(".xlsm") {
            return try loadWorkbook(path: path, options: options)
        }
        return try load(try InputFile(path: path), options: options)
    }

    /// A sheet of an Excel workbook, read as the CSV text of its cells.
    static func loadWorkbook(path: String, options: LoadOptions) throws(Diagnostic) -> LoadResult {
        guard exists(path) else { throw LoadErrors.cannotOpen(path, reason: "no such file") }
        let workbook = try Workbook(path: path)
        var sheet = workbook.sheets[0]
        if let wanted = options.sheet {
            guard let named = workbook.sheets.first(where: { $0.name == wanted }) ?? workbook.sheets.first(where: { $0.name.lowercased() == wanted.lowercased() }) else {
                throw LoadErrors.unknownSheet(path, sheet: wanted, sheets: workbook.sheets.map(\.name))
            }
            sheet = named
        }
        let (csv, findings) = try SheetReader(workbook: workbook, sheet: sheet, shouldStop: options.shouldStop).csv()
        guard !csv.isEmpty else {
            csv.deallocate()
            throw LoadErrors.badWorkbook(path, "has nothing in sheet '\(sheet.name)'")
        }
        var csvOptions = options
        csvOptions.format = .csv
        csvOptions.delimiter = UInt8(ascii: ",")
        csvOptions.encoding = "utf-8"
        // A sheet named on purpose names the table (book.xlsx:Customers and book.xlsx:Orders
        // are two tables, customers and orders, not one replacing the other).
        csvOptions.tableName = options.tableName ?? (options.sheet != nil ? sheet.name : tableName(forPath: path))
        var result = try load(InputFile(path: path + ":" + sheet.name, decoded: csv), options: csvOptions)
        result.table.source = path
        var notes = ["sheet '\(sheet.name)'" + (workbook.sheets.count > 1 ? " of \(workbook.sheets.count)" : "")]
        if workbook.date1904 { notes.append("dates in Excel's 1904 system") }
        if findings.errorCells > 0 {
            notes.append("\(findings.errorCells) \(findings.errorCells == 1 ? "cell holds" : "cells hold") an Excel error "
                         + "(\(findings.errorValue) in \(findings.firstErrorCell ?? "")), loaded as null")
        }
        result.table.notes = notes + result.table.notes
        return result
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Loads bytes already in memory; `path` names them in messages and gives the table name.
    public static func load(contents: [UInt8], path: String, options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
        try load(try InputFile(path: path, contents: contents), options: options)
    }

    static func load(_ original: InputFile, options: LoadOptions) throws(Diagnostic) -> LoadResult {
        let path = original.path
        // Text in another encoding is decoded to UTF-8 first: as `--encoding` says, UTF-16
        // or UTF-32 by its marks, or GB18030 when the file is not UTF-8 and decodes as it.
        var file = original
        var encoding: String?
        if let name = options.encoding, !TextDecoding.isUTF8(name) {
            guard TextDecoding.isKnown(name) else { throw LoadErrors.unknownEncoding(name) }
            file = try decoded(original, from: name)
            encoding = name
        } else if options.encoding == nil, let unicode = TextDecoding.detectedUnicode(original.bytes) {
            file = try decoded(original, from: unicode)
            encoding = unicode
        } else if options.encoding == nil, case let head = UnsafeBufferPointer(rebasing: original.bytes.prefix(1 << 20)),
                  UTF8Check.firstInvalid(in: head) != nil, TextDecoding.looksLikeGB18030(head),
                  let chinese = try? decoded(original, from: "GB18030") {
            file = chinese
            encoding = "GB18030"
        }
        var result: LoadResult
        do {
            result = try read(file, options: options)
        } catch {
            // Not UTF-8 past the first megabyte, but GB18030 all through: read it as such.
            guard encoding == nil, options.encoding == nil, UTF8Check.firstInvalid(in: original.bytes) != nil,
                  TextDecoding.looksLikeGB18030(original.bytes), let chinese = try? decoded(original, from: "GB18030") else { throw error }
            file = chinese
            encoding = "GB18030"
            result = try read(file, options: options)
        }
        if original.changed { throw LoadErrors.changedWhileRead(path) }
        if let encoding {
            let said = options.encoding == nil ? " (the file is not UTF-8; --encoding NAME reads it otherwise)" : ""
            result.table.notes.insert("read as \(TextDecoding.iconvName(encoding))\(said)", at: 0)
        }
        return ColumnReadings.apply(to: result, options: options)
    }

    /// The file's text decoded from `encoding`; bytes that do not decode are an error at their line.
    private static func decoded(_ file: InputFile, from encoding: String) throws(Diagnostic) -> InputFile {
        do {
            return InputFile(path: file.path, decoded: try TextDecoding.decode(file.bytes, from: encoding))
        } catch {
            throw LoadErrors.undecodable(file.source, at: error.offset, encoding: TextDecoding.iconvName(encoding))
        }
    }

    private static func read(_ file: InputFile, options: LoadOptions) throws(Diagnostic) -> LoadResult {
        let path = file.path
        let name = options.tableName ?? tableName(forPath: path)
        do {
            try TextEncodingCheck.check(file.bytes, path: path)
            switch options.format ?? detectFormat(path: path, bytes: file.bytes) {
            case .csv:
                var csvOptions = options
                if path.lowercased().hasSuffix(".tsv") {
                    if csvOptions.delimiter == nil { csvOptions.delimiter = UInt8(ascii: "\t") }
                    csvOptions.unescapesBackslashes = csvOptions.delimiter == UInt8(ascii: "\t")
                }
                return try CSVReader(file: file, options: csvOptions, tableName: name).read()
            case .json:
                return try JSONReader(file: file, options: options, tableName: name).read()
            }
        } catch {
            // A file that changed under the reader explains whatever the reader found.
            throw file.changed ? LoadErrors.changedWhileRead(path) : error
        }
    }

    /// The file name without directories and extension: `data/customers.csv` -> `customers`.
    public static func tableName(forPath path: String) -> String {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fileName }
        return String(fileName[..<dot])
    }

    /// By extension (.json .ndjson .jsonl, else CSV); an unknown extension is judged by
    /// content: a first character `[` or `{` means JSON.
    static func detectFormat(path: String, bytes: UnsafeBufferPointer<UInt8>) -> LoadOptions.Format {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".json") || lowered.hasSuffix(".ndjson") || lowered.hasSuffix(".jsonl") { return .json }
        if lowered.hasSuffix(".csv") || lowered.hasSuffix(".tsv") || lowered.hasSuffix(".txt") { return .csv }
        var i = CSVReader.byteOrderMarkLength(bytes)
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "{") { return .json }
        return .csv
    }
}
