import CustqDiagnostics
import CustqIngest
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

    public private(set) var catalog = Catalog()
    let console: Console
    let loadOptions: LoadOptions

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
            throw ShellErrors.queriesNotAvailable(trimmed, origin: origin)
        } catch {
            report(error)
            return .failed
        }
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
        let replaced = catalog.add(result.table)
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
