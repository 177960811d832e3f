import CustqEngine
import CustqDiagnostics
import CustqIngest
import CustqRender
import CustqStore
import CustqText

public struct ShellOptions: Equatable {
    /// What to run instead of opening the prompt, in command-line order.
    public enum Input: Equatable {
        case command(String)
        case script(String)
    }

    public var files: [String] = []
    public var inputs: [Input] = []
    public var keepGoing = false
    /// Load the built-in metric library at start (`--no-prelude` skips it).
    public var prelude = true
    public var lenient = false
    public var delimiter: UInt8?
    public var hasHeader = true
    public var columnTypes: [String: ColumnType] = [:]
    public var columnFormats: [String: DateFormat] = [:]
    public var encoding: String?
    public var skipRows = 0
    public var sheet: String?
    public var format: OutputFormat = .table
    /// `--sql DIALECT`: queries are written as SQL for the dialect, not run.
    public var sqlDialect: SQLDialect?

    public init() {}

    var loadOptions: LoadOptions {
        var options = LoadOptions()
        options.lenient = lenient
        options.delimiter = delimiter
        options.hasHeader = hasHeader
        options.columnTypes = columnTypes
        options.columnFormats = columnFormats
        options.encoding = encoding
        options.skipRows = skipRows
        options.sheet = sheet
        return options
    }
}
