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

extension LoadOptions {
    /// The stated format of column `name` (names match in any case), if any.
    func format(of name: String) -> DateFormat? {
        columnFormats[name] ?? columnFormats.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}
