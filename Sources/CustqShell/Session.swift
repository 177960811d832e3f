import CustqDiagnostics
import CustqEngine
import CustqIngest
import CustqLanguage
import CustqRender
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shell's state (tables, definitions, settings) and the running of what the user types
/// or scripts: statements and dot-commands.
public final class Session {
    public enum Outcome: Equatable {
        case ok
        case failed
        case quit
    }

    public let engine = Engine()
    public var catalog: Catalog { engine.catalog }
    let console: Console
    let loadOptions: LoadOptions
    /// How results are written (`--format`, `.format`).
    public var format: OutputFormat = .table
    /// `--sql DIALECT`: each query's SQL is written instead of its result.
    public var sqlDialect: SQLDialect?
    /// Whether to report each query's time (`.timer on`).
    public var timer = false
    /// Terminal width for tables and charts; nil when not on a terminal. `readTerminalWidth`,
    /// when set, is asked before each result instead, so a resized window is noticed.
    public var terminalWidth: Int?
    var readTerminalWidth: (() -> Int?)?
    /// Most rows a table shows (`.maxrows`); 0 shows all. Machine formats are never cut.
    public var maxRows = 40
    /// How a null looks in tables (`.nullvalue`).
    public var nullText = "NULL"
    /// Where results go (`.output FILE`); nil for standard output.
    var outputFile: OutputFile?
    var outputPath: String? { outputFile?.path }
    /// The first write of results that failed (a full disk, a closed descriptor).
    var outputFailure: Diagnostic?
    /// The files the loaded tables came from, by table: never written over.
    var sourceFiles: [String: FileIdentity] = [:]
    /// The scripts being run (`-f`, `.read`), innermost last.
    var scriptFiles: [FileIdentity] = []
    /// How deep `.read` may nest (sqlite3 stops at 25): a script reading itself ends there.
    static let maxScriptDepth = 25
    var scriptDepth = 0
    /// Asked between steps of a long query; true stops it (Ctrl-C).
    public var interruptCheck: (@Sendable () -> Bool)? {
        didSet { engine.shouldStop = interruptCheck }
    }

    public init(console: Console, loadOptions: LoadOptions = LoadOptions()) {
        self.console = console
        self.loadOptions = loadOptions
    }

    deinit {
        if let outputFile { close(outputFile.descriptor) }
    }

    /// Runs text typed at the prompt or given with -c (one or more statements).
    /// `origin` names it in messages.
    @discardableResult
    public func execute(_ text: String, origin: String? = nil) -> Outcome {
        run(text, file: origin, showLines: false, keepGoing: false)
    }

    /// Runs every statement of `text` in order. A failure stops the rest unless `keepGoing`;
    /// messages name `file` and, when `showLines`, the line and column.
    /// `firstLine`: the line of the file `text` starts at, after `linePrefix` on that line
    /// (a script is read a part at a time).
    public func run(_ text: String, file: String?, showLines: Bool, keepGoing: Bool, firstLine: Int = 1,
                    linePrefix: String = "") -> Outcome {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !lines.isEmpty { lines[0] = linePrefix + lines[0] }
        var failed = false
        for var piece in StatementSplitter.statements(of: text) {
            if piece.line == 1 { piece.column += linePrefix.count }
            let outcome = run(piece, file: file, showLines: showLines, lines: lines, lineOffset: firstLine - 1)
            if outcome == .quit { return .quit }
            if outcome == .failed {
                failed = true
                if !keepGoing { return .failed }
            }
        }
        return failed ? .failed : .ok
    }

    private func run(_ piece: StatementSplitter.Piece, file: String?, showLines: Bool, lines: [String],
                     lineOffset: Int) -> Outcome {
        // Explaining a chain of definitions follows it down: on a deep stack too.
        var outcome = Outcome.failed
        DeepStack.run { outcome = self.dispatch(piece, file: file, showLines: showLines, lines: lines, lineOffset: lineOffset) }
        // A result that could not be written (a full disk, a closed output) fails its statement.
        if let failure = takeOutputFailure() {
            report(failure)
            return .failed
        }
        return outcome
    }

    private func dispatch(_ piece: StatementSplitter.Piece, file: String?, showLines: Bool, lines: [String],
                          lineOffset: Int) -> Outcome {
        let context = PieceContext(piece: piece, file: file, showLines: showLines, lines: lines, lineOffset: lineOffset)
        if piece.isDotCommand, let query = Self.sqlCommand(piece.text) {
            return writeSQL(query, context: context)
        }
        if piece.isDotCommand {
            do throws(Diagnostic) {
                return try DotCommand.parse(piece.text.trimmingSpaces, origin: nil).run(in: self)
            } catch {
                report(context.place(error))
                return .failed
            }
        }
        return runStatements(context)
    }

    /// Runs query-language statements and writes their results.
    func runStatements(_ context: PieceContext) -> Outcome {
        let piece = context.piece
        if let sqlDialect { return writeSQL((sqlDialect, piece.text), context: context) }
        let outcomes: [StatementOutcome]
        let started = Self.now()
        do {
            outcomes = try engine.run(piece.text)
        } catch .interrupted {
            // The terminal has echoed ^C on the query's line: start a new one.
            console.writeError((console.errorIsTerminal ? "\n" : "") + "interrupted\n")
            return .failed
        } catch {
            report(context.place(error.diagnostic(in: piece.text, file: nil, line: 1)))
            return .failed
        }
        for outcome in outcomes {
            switch outcome {
            case .result(let result):
                guard write(result) else { return .failed }
            case .defined(let name, let isAggregate, let replaced):
                var kind = isAggregate ? "aggregate measure" : "column"
                let parameters = engine.definitions[name.lowercased()]?.parameters ?? []
                if !parameters.isEmpty { kind = "function of \(parameters.joined(separator: ", "))" }
                if engine.replacesBuiltIn(name) {
                    message("\(name) now means yours (\(kind)); the built-in is replaced: undefine \(name) brings it back")
                } else {
                    message("\(replaced ? "redefined" : "defined") \(name) (\(kind))")
                }
            case .undefined(let name, let restoredBuiltIn):
                message(restoredBuiltIn ? "\(name) is the built-in definition again" : "undefined \(name)")
            case .quit:
                return .quit
            case .metrics(let metrics):
                emit(MetricsText.render(metrics, format: format, width: width))
            case .explained(let explained):
                guard show(explained) else { return .failed }
            case .help(let topic):
                if let topic, HelpTopics.text(for: topic) != nil {
                    message("help is a dot-command here: .help \(topic)")
                } else {
                    message("help is a dot-command here: .help lists every command and query form, .help TOPIC explains one")
                }
            }
        }
        if timer {
            // Time goes with the table for people, to standard error for machine formats.
            let tenths = Int(((Self.now() - started) * 10_000).rounded())
            let line = "time: \(tenths / 10).\(tenths % 10) ms\n"
            if format == .table { emit(line) } else { console.writeError(line) }
        }
        return .ok
    }

    func report(_ diagnostic: Diagnostic) {
        console.writeError(DiagnosticRenderer.render(diagnostic))
    }

    /// A message for the user (not a result): to standard error, wrapped to the terminal.
    func message(_ text: String) {
        console.writeError(Prose.wrap(DiagnosticRenderer.visible(text), width: messageWidth, indent: "  ") + "\n")
    }

    /// The width messages wrap at: the terminal's when standard error is one.
    var messageWidth: Int? { console.errorIsTerminal ? (readTerminalWidth?() ?? terminalWidth) : nil }

    /// The width results are fitted to: the terminal's, when results go to it.
    var width: Int? { outputFile == nil ? (readTerminalWidth?() ?? terminalWidth) : nil }

    /// Writes result text to the current output (standard output or the `.output` file).
    /// Long text goes out a piece at a time so Ctrl-C can stop it; returns false when it did.
    @discardableResult
    func emit(_ text: String) -> Bool {
        guard outputFailure == nil else { return false }
        let chunk = 16 * 1024
        guard text.utf8.count > 4 * chunk, let interruptCheck else {
            writeOut(text)
            return outputFailure == nil
        }
        var rest = Substring(text)
        while !rest.isEmpty {
            if interruptCheck() || outputFailure != nil { return false }
            var end = rest.utf8.index(rest.startIndex, offsetBy: min(chunk, rest.utf8.count))
            // Cut after a line, so an interrupted table ends with a whole row.
            if end < rest.endIndex, let newline = rest[end...].firstIndex(of: "\n") { end = rest.index(after: newline) }
            writeOut(String(rest[..<end]))
            rest = rest[end...]
        }
        return outputFailure == nil
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds < 1 ? String(Int((seconds * 1000).rounded())) + " ms"
                    : String(Double(Int(seconds * 100)) / 100) + " s"
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" { scalars.removeLast() }
        return String(scalars)
    }
}
