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

/// The shell's state (the loaded tables) and the commands that act on it.
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
    /// Whether to report each query's time (`.timer on`).
    public var timer = false
    /// Terminal width for charts; nil when not on a terminal (80 then).
    public var terminalWidth: Int?

    public init(console: Console, loadOptions: LoadOptions = LoadOptions()) {
        self.console = console
        self.loadOptions = loadOptions
    }

    /// Runs one line typed at the prompt or given with -c. `origin` names it in errors.
    @discardableResult
    public func execute(_ line: String, origin: String? = nil) -> Outcome {
        let trimmed = line.trimmingSpaces
        if trimmed.isEmpty || trimmed.hasPrefix("--") { return .ok }
        do throws(Diagnostic) {
            if trimmed.hasPrefix(".") { return try DotCommand.parse(trimmed, origin: origin).run(in: self) }
        } catch {
            report(error)
            return .failed
        }
        return runStatements(line, origin: origin)
    }

    /// Runs query-language statements and writes their results.
    func runStatements(_ source: String, origin: String?, line: Int? = nil) -> Outcome {
        let outcomes: [StatementOutcome]
        let started = Self.now()
        do {
            outcomes = try engine.run(source)
        } catch {
            report(error.diagnostic(in: source, file: origin, line: line))
            return .failed
        }
        for outcome in outcomes {
            switch outcome {
            case .result(let result): write(result)
            case .defined(let name, let isAggregate, let replaced):
                let kind = isAggregate ? "aggregate measure" : "column"
                console.writeError("\(replaced ? "redefined" : "defined") \(name) (\(kind))\n")
            }
        }
        if timer {
            // Time goes with the table for people, to standard error for machine formats.
            let tenths = Int(((Self.now() - started) * 10_000).rounded())
            let line = "time: \(tenths / 10).\(tenths % 10) ms\n"
            if format == .table { console.write(line) } else { console.writeError(line) }
        }
        return .ok
    }

    func write(_ result: QueryResult) {
        guard format == .table else {
            console.write(ResultRenderer.render(result.table, format: format))
            return
        }
        if let chart = result.chart {
            let bars = chart.bars.map { bar in
                (bar.label, bar.value, bar.value.map { chart.integral ? NumberFormat.grouped(Int($0)) : PeopleText.decimal($0) } ?? "NULL")
            }
            console.write(ChartRenderer.render(title: chart.title, bars: bars, width: terminalWidth ?? 80))
        } else {
            console.write(ResultRenderer.render(result.table, format: .table))
        }
        var footer = NumberFormat.grouped(result.table.rowCount) + (result.table.rowCount == 1 ? " row" : " rows")
        if result.rowsMatched < result.rowsScanned {
            footer += " (\(NumberFormat.grouped(result.rowsMatched)) of \(NumberFormat.grouped(result.rowsScanned)) rows matched)"
        }
        console.write(footer + "\n")
        for note in result.notes { console.write("note: " + note + "\n") }
    }

    func report(_ diagnostic: Diagnostic) {
        console.writeError(DiagnosticRenderer.render(diagnostic))
    }

    // MARK: Loading

    /// Loads a file as a table and tells the user what was loaded. Returns false on failure.
    @discardableResult
    public func load(path: String, as name: String? = nil) -> Bool {
        var options = loadOptions
        options.tableName = name
        let progress = ProgressBar(label: path, console: console, fileSize: Self.fileSize(path))
        if progress.isShown { options.progress = { fraction in progress.update(fraction) } }
        let started = Self.now()
        let result: LoadResult
        do {
            result = try DataLoader.load(path: path, options: options)
        } catch {
            progress.finish()
            report(error)
            return false
        }
        progress.finish()
        let seconds = Self.now() - started
        for warning in result.warnings { report(warning) }
        let replaced = engine.catalog.add(result.table)
        let table = result.table
        var message = "loaded \(table.name): \(NumberFormat.grouped(table.rowCount)) rows, "
            + "\(table.columns.count) columns from \(path) in \(Self.formatSeconds(seconds))"
        if replaced { message += " (replaces the earlier table \(table.name))" }
        console.writeError(message + "\n")
        if let skipped = result.skippedSummary { report(.warning(skipped + " in " + path)) }
        return true
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
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

    func table(named name: String, origin: String?, line: String) throws(Diagnostic) -> Table {
        if let table = catalog.table(named: name) { return table }
        throw ShellErrors.unknownTable(name, known: catalog.tableNames, line: line, origin: origin)
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
