import CustqDiagnostics
import CustqEngine
import CustqIngest
import CustqRender
import CustqStore
import CustqText

/// Reads the command line. Problems are usage errors (exit code 2).
public enum InvocationParser {
    public static let usage = """
        usage: custq [OPTIONS] [FILE... | postgresql://USER@HOST:PORT/DB]
               custq generate [--customers N] [--orders-per-customer K] [--seed S] [--customers-json] [--force] DIR

        Loads each FILE (CSV, TSV, JSON or NDJSON) as a table named after the file, then
        opens the custq prompt, or runs the -c commands and -f scripts (or piped input) and exits.
        A PostgreSQL URL connects instead: its tables are listed, and queries on them run there.

        options:
          -c COMMAND            run COMMAND and exit (repeatable; runs in order)
          -f SCRIPT             run the statements in SCRIPT and exit (repeatable; - reads standard input)
          --keep-going          after a failing statement, run the rest (the exit code is still 1)
          --no-prelude          start without the built-in metric definitions (clv, nps, churn_rate, …)
          --format FORMAT       table (default), csv, tsv, json, ndjson or markdown
          --sql DIALECT         write each query as SQL for duckdb, postgres or spark instead of running it
          --lenient             skip bad rows instead of stopping, and report which lines
          --delimiter CHAR      CSV field delimiter (default: detected among , ; tab |); 'tab' for tab
          --no-header           the first CSV row is data; columns are named column1, column2, …
          --type COLUMN=TYPE    read COLUMN as TYPE (integer, decimal, boolean, date, timestamp, string);
                                a date or timestamp may state its format: 'Date=date:%d/%m/%Y'
          --encoding NAME       the files' text encoding (default: UTF-8, else GB18030 or UTF-16 when
                                the bytes say so): gb18030, gbk, big5, utf-16, latin-1, windows-1252, …
          --skip N              leave out N lines before the header row (report titles)
          --sheet NAME          the sheet of an .xlsx workbook to load (default: the first)
          --                    the arguments after it are files, even one whose name starts with -
          -h, --help            show this help
          --version             show the version

        """

    public static func parse(_ arguments: [String]) throws(Diagnostic) -> Invocation {
        if arguments.first == "generate" { return try parseGenerate(Array(arguments.dropFirst())) }
        var options = ShellOptions()
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            func value(for flag: String) throws(Diagnostic) -> String { try cursor.value(for: flag) }
            switch argument {
            case "--":
                // Everything after -- is a file, even a name that starts with -.
                while let file = cursor.next() { options.files.append(file) }
            case "-h", "--help": return .help
            case "--version": return .version
            case "-c": options.inputs.append(.command(try value(for: "-c")))
            case "-f": options.inputs.append(.script(try value(for: "-f")))
            case "--keep-going": options.keepGoing = true
            case "--no-prelude": options.prelude = false
            case "--lenient": options.lenient = true
            case "--format":
                let name = try value(for: "--format")
                guard let format = OutputFormat(rawValue: name.lowercased()) else {
                    throw Diagnostic.error("unknown format '\(name)'",
                                           help: "formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
                options.format = format
            case "--sql":
                let name = try value(for: "--sql")
                guard let dialect = SQLDialect(named: name) else {
                    throw Diagnostic.error("unknown SQL dialect '\(name)'", help: "dialects: duckdb, postgres, spark")
                }
                options.sqlDialect = dialect
            case "--no-header": options.hasHeader = false
            case "--delimiter": options.delimiter = try delimiter(try value(for: "--delimiter"))
            case "--type":
                let (column, type, format) = try columnType(try value(for: "--type"))
                options.columnTypes[column] = type
                if let format { options.columnFormats[column] = format }
            case "--encoding": options.encoding = try value(for: "--encoding")
            case "--skip":
                let text = try value(for: "--skip")
                guard let n = Int(text), n >= 0, n <= 1_000_000 else {
                    throw Diagnostic.error("--skip takes a number of lines from 0 to 1,000,000, got '\(text)'")
                }
                options.skipRows = n
            case "--sheet": options.sheet = try value(for: "--sheet")
            default:
                if argument.hasPrefix("-"), argument != "-" {
                    throw Diagnostic.error("unknown option '\(argument)'", help: suggestion(for: argument))
                }
                options.files.append(argument)
            }
        }
        return .shell(options)
    }

    static let knownOptions = ["-c", "-f", "--keep-going", "--no-prelude", "--format", "--sql", "--lenient", "--no-header", "--delimiter", "--type", "--encoding", "--skip", "--sheet", "--help", "--version"]

    static func suggestion(for option: String) -> String {
        if let close = knownOptions.min(by: { EditDistance.between($0, option) < EditDistance.between($1, option) }),
           EditDistance.between(close, option) <= 2 {
            return "did you mean '\(close)'? (see custq --help)"
        }
        return "see custq --help"
    }

    /// `COLUMN=TYPE` or `COLUMN=TYPE:FORMAT`. A column name may itself hold `=` (survey
    /// questions: `… (1 = Very dissatisfied)=integer`): the split is at the last `=` that a
    /// type name follows.
    static func columnType(_ spec: String) throws(Diagnostic) -> (String, ColumnType, DateFormat?) {
        let equals = spec.indices.filter { spec[$0] == "=" }
        func parts(at index: String.Index) -> (column: String, type: String, format: String?) {
            let rest = spec[spec.index(after: index)...]
            let colon = rest.firstIndex(of: ":")
            return (String(spec[..<index]), String(rest[..<(colon ?? rest.endIndex)]),
                    colon.map { String(rest[rest.index(after: $0)...]) })
        }
        guard let last = equals.last else {
            throw Diagnostic.error("--type takes COLUMN=TYPE, got '\(spec)'", help: "e.g. --type zip=string or --type 'Date=date:%d/%m/%Y'")
        }
        let split = equals.reversed().first { ColumnType(userName: parts(at: $0).type) != nil } ?? last
        let (column, typeName, formatText) = parts(at: split)
        guard !column.isEmpty else {
            throw Diagnostic.error("--type takes COLUMN=TYPE, got '\(spec)'", help: "e.g. --type zip=string")
        }
        guard let type = ColumnType(userName: typeName) else {
            throw Diagnostic.error("unknown type '\(typeName)' in --type \(spec)",
                                   help: "types: " + ColumnType.allCases.map(\.displayName).joined(separator: ", "))
        }
        guard let formatText else { return (column, type, nil) }
        guard type == .date || type == .timestamp else {
            throw Diagnostic.error("only a date or a timestamp takes a format, got --type \(spec)",
                                   help: "e.g. --type '\(column)=date:%d/%m/%Y'")
        }
        do {
            return (column, type, try DateFormat(formatText))
        } catch {
            throw Diagnostic.error("--type \(spec): " + error.message,
                                   help: "formats use %Y %m %d %H %M %S %p %z %b, e.g. %m/%d/%Y %H:%M")
        }
    }

    static func delimiter(_ text: String) throws(Diagnostic) -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
                throw Diagnostic.error("--delimiter takes one character such as , ; | or 'tab', got '\(text)'")
            }
            return byte
        }
    }

    static func parseGenerate(_ arguments: [String]) throws(Diagnostic) -> Invocation {
        var customers = 2000
        var ordersPerCustomer = 5.0
        var seed: UInt64 = 42
        var customersJSON = false
        var overwrite = false
        var directory: String?
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            func value(for flag: String) throws(Diagnostic) -> String { try cursor.value(for: flag) }
            switch argument {
            case "--customers":
                let text = try value(for: argument)
                guard let n = Int(text), n > 0, n <= 100_000_000 else {
                    throw Diagnostic.error("--customers takes a whole number from 1 to 100,000,000, got '\(text)'")
                }
                customers = n
            case "--orders-per-customer":
                let text = try value(for: argument)
                guard let k = Double(text), k >= 0, k <= 1000 else {
                    throw Diagnostic.error("--orders-per-customer takes a number from 0 to 1000, got '\(text)'")
                }
                ordersPerCustomer = k
            case "--seed":
                let text = try value(for: argument)
                guard let s = UInt64(text) else { throw Diagnostic.error("--seed takes a whole number, got '\(text)'") }
                seed = s
            case "--customers-json": customersJSON = true
            case "--force": overwrite = true
            case "-h", "--help": return .help
            default:
                if argument.hasPrefix("-") { throw Diagnostic.error("unknown option '\(argument)' for generate", help: "see custq --help") }
                guard directory == nil else { throw Diagnostic.error("generate takes one directory, got '\(directory!)' and '\(argument)'") }
                directory = argument
            }
        }
        guard let directory else { throw Diagnostic.error("generate needs a directory to write into", help: "e.g. custq generate examples") }
        return .generate(customers: customers, ordersPerCustomer: ordersPerCustomer, seed: seed,
                         customersJSON: customersJSON, overwrite: overwrite, directory: directory)
    }
}
