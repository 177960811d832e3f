import CustqDiagnostics
import CustqGenerator
import CustqIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The program: reads the command line, loads the files, then runs commands or the prompt.
public enum Shell {
    public static let version = "0.1.0"

    /// Runs custq and returns its exit code: 0 success, 1 a failed command or load, 2 usage.
    public static func main(arguments: [String], console: Console = .standard) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try InvocationParser.parse(arguments)
        } catch {
            console.writeError(DiagnosticRenderer.render(error))
            return 2
        }
        switch invocation {
        case .help:
            console.write(InvocationParser.usage)
            return 0
        case .version:
            console.write("custq \(version)\n")
            return 0
        case .generate(let customers, let orders, let seed, let json, let directory):
            var generator = ExampleGenerator()
            generator.customers = customers
            generator.ordersPerCustomer = orders
            generator.seed = seed
            generator.writeCustomersJSON = json
            do {
                let paths = try generator.write(to: directory)
                console.writeError("wrote " + paths.joined(separator: ", ") + "\n")
                return 0
            } catch {
                console.writeError(DiagnosticRenderer.render(.error(error.message)))
                return 1
            }
        case .shell(let options):
            return runShell(options, console: console)
        }
    }

    static func runShell(_ options: ShellOptions, console: Console) -> Int32 {
        let session = Session(console: console, loadOptions: options.loadOptions)
        session.format = options.format
        session.terminalWidth = terminalWidth()
        let interactive = options.commands.isEmpty && isatty(0) == 1
        if interactive {
            console.write("custq \(version): customer analytics shell. Type .help for commands, Ctrl-D to leave.\n")
        }
        var failed = false
        for file in options.files where !session.load(path: file) { failed = true }
        if !interactive {
            // Scripts stop at the first problem: a file that did not load is one.
            if failed { return 1 }
            for (index, command) in options.commands.enumerated() {
                switch session.execute(command, origin: options.commands.count > 1 ? "-c #\(index + 1)" : nil) {
                case .ok: continue
                case .failed: return 1
                case .quit: return 0
                }
            }
            if options.commands.isEmpty { return piped(session) }
            return 0
        }
        return runPrompt(session, console: console)
    }

    /// The prompt at a terminal.
    static func runPrompt(_ session: Session, console: Console) -> Int32 {
        let editor = LineEditor(prompt: "custq> ", historyPath: historyPath())
        while true {
            switch editor.readLine() {
            case .line(let line):
                editor.remember(line)
                if session.execute(line) == .quit { return 0 }
            case .interrupted:
                console.write("^C\n")
            case .endOfInput:
                console.write("\n")
                return 0
            }
        }
    }

    /// Lines from a pipe or file: no prompt, no line editing, stop at the first failure.
    static func piped(_ session: Session) -> Int32 {
        var lineNumber = 0
        while let line = Swift.readLine(strippingNewline: true) {
            lineNumber += 1
            switch session.execute(line, origin: "<stdin>:\(lineNumber)") {
            case .ok: continue
            case .failed: return 1
            case .quit: return 0
            }
        }
        return 0
    }

    /// Columns of the terminal on standard output, or nil when it is not a terminal.
    static func terminalWidth() -> Int? {
        guard isatty(1) == 1 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `$CUSTQ_HISTORY`, else `~/.custq_history`; nil when neither can be known.
    static func historyPath() -> String? {
        if let path = getenv("CUSTQ_HISTORY") { return String(cString: path) }
        guard let home = getenv("HOME") else { return nil }
        return String(cString: home) + "/.custq_history"
    }
}
