import CustqDiagnostics
import CustqStore

/// Loads a CSV, TSV, JSON or NDJSON file into a table.
public enum DataLoader {
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
        try load(try InputFile(path: path), options: options)
    }

    /// Loads bytes already in memory; `path` names them in messages and gives the table name.
    public static func load(contents: [UInt8], path: String, options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
        try load(try InputFile(path: path, contents: contents), options: options)
    }

    static func load(_ file: InputFile, options: LoadOptions) throws(Diagnostic) -> LoadResult {
        let path = file.path
        let name = options.tableName ?? tableName(forPath: path)
        let result: LoadResult
        do {
            try TextEncodingCheck.check(file.bytes, path: path)
            switch options.format ?? detectFormat(path: path, bytes: file.bytes) {
            case .csv:
                var csvOptions = options
                if path.lowercased().hasSuffix(".tsv") {
                    if csvOptions.delimiter == nil { csvOptions.delimiter = UInt8(ascii: "\t") }
                    csvOptions.unescapesBackslashes = csvOptions.delimiter == UInt8(ascii: "\t")
                }
                result = try CSVReader(file: file, options: csvOptions, tableName: name).read()
            case .json:
                result = try JSONReader(file: file, options: options, tableName: name).read()
            }
        } catch {
            // A file that changed under the reader explains whatever the reader found.
            throw file.changed ? LoadErrors.changedWhileRead(path) : error
        }
        if file.changed { throw LoadErrors.changedWhileRead(path) }
        return ColumnReadings.apply(to: result, options: options)
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
