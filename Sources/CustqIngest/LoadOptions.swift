import CustqDiagnostics
import CustqStore

/// How to read a data file. Every field overrides what custq would otherwise detect.
public struct LoadOptions: Sendable {
    public enum Format: String, Sendable {
        case csv, json
    }

    /// Table name; by default the file name without its extension.
    public var tableName: String?
    /// File format; by default from the extension, else from the content.
    public var format: Format?
    /// CSV field delimiter; by default sniffed among `,` `;` tab `|`.
    public var delimiter: UInt8?
    /// Whether a CSV file's first row names the columns (default true).
    public var hasHeader = true
    /// Whether `\t`, `\n`, `\r` and `\\` in fields stand for a tab, a line break, a
    /// carriage return and a backslash: how custq (and PostgreSQL's text format) write TSV.
    /// Set for `.tsv` files.
    public var unescapesBackslashes = false
    /// Column types that replace inference, by column name.
    public var columnTypes: [String: ColumnType] = [:]
    /// Stated formats of date and timestamp columns (`--type 'd=date:%d/%m/%Y'`), by
    /// column name; such a column is also in `columnTypes`.
    public var columnFormats: [String: DateFormat] = [:]
    /// The text encoding, as iconv names it (`gb18030`, `utf-16`, `latin-1`); nil: UTF-8,
    /// or GB18030 / UTF-16 when the bytes say so.
    public var encoding: String?
    /// Lines before the header row to leave out (a report's title and date).
    public var skipRows = 0
    /// The sheet of a workbook to load; nil: the first.
    public var sheet: String?
    /// Skip bad rows (reported in `LoadResult.skippedLines`) instead of failing.
    public var lenient = false
    /// Called now and then with the fraction of the file read so far.
    public var progress: (@Sendable (Double) -> Void)?
    /// Asked now and then (every megabyte read); true stops the load (Ctrl-C) and nothing is loaded.
    public var shouldStop: (@Sendable () -> Bool)?
    /// Files at least this large (in bytes) are read on two cores; nil: never.
    public var twoCoresFrom: Int? = 16 << 20
    /// For a JSON file with very many keys: the keys that become columns; the others are
    /// kept together as JSON text in one column (see JSONReader.keyLimit).
    var jsonColumns: JSONColumnPlan?

    public init() {}
}

/// Which keys of a JSON file with very many become columns.
struct JSONColumnPlan: Sendable {
    let columns: Set<[UInt8]>
    /// The column that holds every other field of a record, as a JSON object.
    let otherColumn: String
}

/// A loaded table and what the user should be told about how it was read.
public struct LoadResult: Sendable {
    public var table: Table
    public var format: LoadOptions.Format
    /// Non-fatal findings: renamed headers, columns that mixed types.
    public var warnings: [Diagnostic]
    /// Lines (1-based, where each skipped record starts) skipped by a lenient load.
    public var skippedLines: [Int]
    /// What custq chose where the file left a choice open (is `1/2/2024` January or
    /// February?), each with how to choose otherwise: said when the table is loaded.
    public var choices: [String] = []
    /// Warnings that a column mixes kinds of values, by column: given only when the column
    /// stays text once its values are read again as dates, money and the like.
    var mixedKinds: [String: Diagnostic] = [:]
    /// The CSV delimiter the file was read with (a `;` file writes decimals with a comma).
    var delimiter: UInt8?

    init(table: Table, format: LoadOptions.Format, warnings: [Diagnostic], skippedLines: [Int],
         mixedKinds: [String: Diagnostic] = [:]) {
        self.table = table
        self.format = format
        self.warnings = warnings
        self.skippedLines = skippedLines
        self.mixedKinds = mixedKinds
    }

    /// One line for the user: "skipped 2 bad rows (lines 4, 17)"; nil when nothing was skipped.
    public var skippedSummary: String? {
        guard !skippedLines.isEmpty else { return nil }
        let shown = skippedLines.prefix(20).map(String.init).joined(separator: ", ")
        let more = skippedLines.count > 20 ? ", and \(skippedLines.count - 20) more" : ""
        let noun = skippedLines.count == 1 ? "row" : "rows"
        let lineWord = skippedLines.count == 1 ? "line" : "lines"
        return "skipped \(skippedLines.count) bad \(noun) (\(lineWord) \(shown)\(more))"
    }
}

extension LoadOptions {
    /// The stated format of column `name` (names match in any case), if any.
    func format(of name: String) -> DateFormat? {
        columnFormats[name] ?? columnFormats.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}
