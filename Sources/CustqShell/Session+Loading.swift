import CustqEngine
import CustqDiagnostics
import CustqIngest
import CustqRender
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let table = result.table
        var message = "loaded \(table.name): \(Plural.count(table.rowCount, "row")), "
            + "\(Plural.count(table.columns.count, "column")) from \(path) in \(Self.formatSeconds(seconds))"
        if let earlier, earlier.name.lowercased() == table.name.lowercased() {
            message += earlier.source.hasPrefix("derived from ") ? " (replaces the customers derived from the orders)"
                : " (replaces the earlier table \(table.name))"
        }
        self.message(message)
        if let skipped = result.skippedSummary { report(.warning(skipped + " in " + path)) }
        prepareOrders()
        _ = engine.latestOrderDay   // the default as-of date: found once here, not per query
        return true
    }

    /// Finds the orders table and its column roles (or takes them from `.orders`), derives
    /// customers from orders when none are loaded, and says what it did.
    @discardableResult
    func prepareOrders(explicit: (table: String, roles: [String: String])? = nil) -> Bool {
        do {
            let found = try engine.prepareOrders(explicit: explicit)
            for line in found.lines { message(line) }
            if explicit != nil { message(ordersDescription) }
            return true
        } catch {
            report(error)
            return false
        }
    }

    /// `.orders` without arguments: which table is read as the orders, and through which columns.
    var ordersDescription: String {
        guard let orders = engine.catalog.table(named: Engine.ordersTableName) else {
            return "no orders table: load one named orders, or name one with .orders TABLE"
        }
        let roles = [engine.keyColumn, Engine.orderDateColumn, Engine.amountColumn].map { role in
            "\(role) = " + (orders.column(named: role)?.name ?? "(none)")
        }
        return "orders are read from \(orders.name): " + roles.joined(separator: ", ")
    }

    /// Reads a script file (`-f`, `.read`), or standard input for `-`.
    static func readScript(_ path: String) throws(Diagnostic) -> String {
        if path == "-" {
            var lines: [String] = []
            while let line = Swift.readLine(strippingNewline: false) { lines.append(line) }
            return lines.joined()
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw Diagnostic.error("cannot open script '\(path)': no such file") }
        if info.st_mode & S_IFMT == S_IFDIR { throw Diagnostic.error("'\(path)' is a directory, not a script") }
        guard let file = fopen(path, "rb") else {
            throw Diagnostic.error("cannot open script '\(path)': " + String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Diagnostic.error("script '\(path)' is not UTF-8 text")
        }
        return text
    }

    /// Runs a script file in this session (`.read`).
    func runScript(_ path: String, keepGoing: Bool = false) -> Outcome {
        let text: String
        do {
            text = try Self.readScript(path)
        } catch {
            report(error)
            return .failed
        }
        return run(text, file: path == "-" ? "<stdin>" : path, showLines: true, keepGoing: keepGoing)
    }
}
