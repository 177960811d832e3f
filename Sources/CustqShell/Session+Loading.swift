import CustqEngine
import CustqDiagnostics
import CustqIngest
import CustqRender
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqText

extension Session {
    /// Loads a file as a table and tells the user what was loaded. Returns false on failure.
    @discardableResult
    public func load(path: String, as name: String? = nil) -> Bool {
        var options = loadOptions
        options.tableName = name
        let progress = ProgressBar(label: path, console: console)
        if progress.isShown { options.progress = { fraction in progress.update(fraction) } }
        options.shouldStop = interruptCheck
        let started = Self.now()
        let result: LoadResult
        MemoryPolicy.forLoading()
        defer { MemoryPolicy.forQueries() }
        do {
            result = try DataLoader.load(path: path, options: options)
        } catch {
            progress.finish()
            if interruptCheck?() == true {
                // Ctrl-C: the table is not added and the loaded ones stay as they were.
                console.writeError((console.errorIsTerminal ? "\n" : "") + "interrupted: \(path) was not loaded\n")
                return false
            }
            report(error)
            return false
        }
        progress.finish()
        let seconds = Self.now() - started
        for warning in result.warnings { report(warning) }
        let earlier = engine.catalog.table(named: result.table.name)
        engine.catalog.add(result.table)
        sourceFiles[result.table.name.lowercased()] = FileIdentity(path: path)
        let table = result.table
        var message = "loaded \(table.name): \(Plural.count(table.rowCount, "row")), "
            + "\(Plural.count(table.columns.count, "column")) from \(path) in \(Self.formatSeconds(seconds))"
        if let earlier, earlier.name.lowercased() == table.name.lowercased() {
            message += earlier.source.hasPrefix("derived from ") ? " (replaces the customers derived from the orders)"
                : " (replaces the earlier table \(table.name))"
        }
        self.message(message)
        // What custq decided on its own: how the file was read, then each column read as
        // dates, money and the like, then the choices the values left open.
        for note in table.notes { self.message("  " + note) }
        for column in table.columns {
            // A format the user stated needs no repeating.
            if let reading = column.reading, !reading.hasSuffix("(stated)") { self.message("  \(DiagnosticRenderer.visible(column.name)) read as \(reading)") }
        }
        for choice in result.choices { self.message("note: " + choice) }
        if let skipped = result.skippedSummary { report(.warning(skipped + " in " + path)) }
        prepareOrders()
        _ = engine.latestOrderDay   // the default as-of date: found once here, not per query
        return true
    }

    /// Finds the orders table and its column roles (or takes them from `.orders`), derives
    /// customers from orders when none are loaded, and says what it did.
    @discardableResult
    func prepareOrders(explicit: OrdersStatement? = nil) -> Bool {
        do {
            let found = try engine.prepareOrders(explicit: explicit)
            for finding in found.findings + engine.prepareCustomerColumns() { message(ModelFindingText.line(finding)) }
            if explicit != nil { message(ordersDescription) }
            return true
        } catch {
            report(error)
            return false
        }
    }

    /// `.orders` without arguments: which table is read as the orders, and through which columns.
    var ordersDescription: String {
        guard let (table, roles) = engine.orderColumnRoles else {
            return "no orders table: load one named orders, or name one with .orders TABLE"
        }
        let said = roles.map { role in
            "\(role.role) = " + (role.formula ?? role.column ?? "(none)") + (role.computed ? " (computed)" : "")
        }
        var text = "orders are read from \(table): " + said.joined(separator: ", ")
        for reading in engine.ordersModel { text += "\n  " + ModelFindingText.reading(reading) }
        text += "\n  purchases: orders not cancelled (an id of C and digits) and lines with no negative quantity or amount; "
            + "frequency, recency, lifecycle and cohorts count purchases, monetary sums every line"
        return text
    }

    /// Opens a script file (`-f`, `.read`) for reading; `-` is standard input.
    static func openScript(_ path: String) throws(Diagnostic) -> Int32 {
        if path == "-" { return 0 }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Diagnostic.error("cannot open script '\(path)': " + (errno == ENOENT ? "no such file" : errorText(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw Diagnostic.error("'\(path)' is a directory, not a script") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Diagnostic.error("cannot open script '\(path)': " + errorText(errno)) }
        return descriptor
    }

    /// Runs a script file in this session (`-f`, `.read`), a statement at a time as it is
    /// read; `.read` may nest 25 deep.
    func runScript(_ path: String, keepGoing: Bool = false) -> Outcome {
        guard scriptDepth < Self.maxScriptDepth else {
            report(.error("scripts read one another more than \(Self.maxScriptDepth) deep (.read \(path))",
                          help: "a script that reads itself never ends; check the .read lines"))
            return .failed
        }
        let descriptor: Int32
        do {
            descriptor = try Self.openScript(path)
        } catch {
            report(error)
            return .failed
        }
        let name = path == "-" ? "<stdin>" : path
        let identity = FileIdentity(descriptor: descriptor)
        scriptDepth += 1
        if let identity { scriptFiles.append(identity) }
        defer {
            scriptDepth -= 1
            if identity != nil { scriptFiles.removeLast() }
            if descriptor != 0 { close(descriptor) }
        }
        let reader = ScriptReader(descriptor: descriptor, name: name)
        var failed = false
        do {
            while let (text, line, prefix) = try reader.next() {
                switch run(text, file: name, showLines: true, keepGoing: keepGoing, firstLine: line, linePrefix: prefix) {
                case .quit: return .quit
                case .failed:
                    failed = true
                    if !keepGoing { return .failed }
                case .ok: break
                }
            }
        } catch {
            report(error)
            return .failed
        }
        return failed ? .failed : .ok
    }
}
