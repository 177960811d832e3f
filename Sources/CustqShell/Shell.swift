import CustqDiagnostics
import CustqEngine
import CustqGenerator
import CustqIngest
import CustqLanguage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The program: reads the command line, loads the files, then runs commands or the prompt.
public enum Shell {
    public static let version = "0.1.0"

    /// Runs custq and returns its exit code: 0 success, 1 a failed command or load, 2 usage.
    public static func main(arguments: [String], console: Console? = nil) -> Int32 {
        let closed = console == nil ? StandardDescriptors.secure() : []
        // A closed pipe is an error number on the write that met it (see Console.standard).
        if console == nil { signal(SIGPIPE, SIG_IGN) }
        let console = console ?? .standard(outputWasClosed: closed.contains(1))
        let invocation: Invocation
        do {
            invocation = try InvocationParser.parse(arguments)
        } catch {
            console.writeError(DiagnosticRenderer.render(error))
            return 2
        }
        switch invocation {
        case .help:
            return console.write(InvocationParser.usage) == 0 ? 0 : 1
        case .version:
            return console.write("custq \(version)\n") == 0 ? 0 : 1
        case .generate(let customers, let orders, let seed, let json, let overwrite, let directory):
            var generator = ExampleGenerator()
            generator.overwrite = overwrite
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
        let interactive = options.inputs.isEmpty && isatty(0) == 1
        var console = console
        var indicator: RunningIndicator?
        if interactive && console.errorIsTerminal {
            // Whatever a statement writes first clears the "running…" line.
            let base = console, running = RunningIndicator(writeError: base.writeError)
            indicator = running
            console = Console(write: { running.clear(); return base.write($0) },
                              writeError: { running.clear(); base.writeError($0) }, errorIsTerminal: true)
        }
        let session = Session(console: console, loadOptions: options.loadOptions)
        session.format = options.format
        session.sqlDialect = options.sqlDialect
        session.readTerminalWidth = { terminalWidth() }
        if options.prelude {
            do {
                try session.engine.loadPrelude()
            } catch {
                console.writeError(DiagnosticRenderer.render(error.diagnostic(in: Prelude.source, file: "<prelude>", line: 1)))
                return 1
            }
        }
        if interactive {
            _ = console.write("custq \(version): customer analytics shell. Type .help for commands, Ctrl-D to leave.\n")
        }
        var failed = false
        for file in options.files where !(Session.isDatabaseURL(file) ? session.connect(file) : session.load(path: file)) {
            failed = true
        }
        if interactive { return runPrompt(session, console: console, indicator: indicator) }
        // Scripts stop at the first problem (a file that did not load is one) unless --keep-going.
        if failed && !options.keepGoing { return 1 }
        var inputs = options.inputs
        if inputs.isEmpty { inputs = [.script("-")] }
        var commandNumber = 0
        let commandCount = inputs.filter { if case .command = $0 { return true } else { return false } }.count
        for input in inputs {
            let outcome: Session.Outcome
            switch input {
            case .command(let text):
                commandNumber += 1
                outcome = session.run(text, file: commandCount > 1 ? "-c #\(commandNumber)" : nil, showLines: false,
                                      keepGoing: options.keepGoing)
            case .script(let path):
                outcome = session.runScript(path, keepGoing: options.keepGoing)
            }
            if outcome == .quit { break }
            if outcome == .failed {
                failed = true
                if !options.keepGoing { return 1 }
            }
        }
        return failed ? 1 : 0
    }

    /// The prompt at a terminal: a statement may span lines (`   ...> ` until it is complete).
    static func runPrompt(_ session: Session, console: Console, indicator: RunningIndicator?) -> Int32 {
        var environment: [String: String] = [:]
        for name in ["CUSTQ_HISTORY", "HOME"] { if let value = getenv(name) { environment[name] = String(cString: value) } }
        let history = HistoryFile.choose(environment: environment)
        if let warning = history.warning { session.message("warning: " + warning) }
        let editor = LineEditor(prompt: "custq> ", historyPath: history.path)
        editor.warn = { session.message("warning: " + $0) }
        editor.completer = Completer(session: session)
        session.interruptCheck = {
            indicator?.tick()
            return interruptRequested.load(ordering: .relaxed)
        }
        var pending = ""
        while true {
            editor.setPrompt(pending.isEmpty ? "custq> " : "   ...> ")
            switch editor.readLine() {
            case .line(let line):
                pending += pending.isEmpty ? line : "\n" + line
                guard StatementSplitter.isComplete(pending) else { continue }
                let statement = pending
                pending = ""
                editor.remember(statement)
                // A Ctrl-C from here on (even before the statement starts) stops it.
                indicator?.start()
                let outcome = editor.keepingTypeAhead {
                    session.run(statement, file: nil, showLines: false, keepGoing: false)
                }
                indicator?.clear()
                if outcome == .quit { return 0 }
            case .interrupted:
                pending = ""
                _ = console.write("^C\n")
            case .endOfInput:
                _ = console.write("\n")
                return 0
            }
        }
    }

    /// Columns of the terminal on standard output, or nil when it is not a terminal. Asked
    /// before each result, so a window resized (SIGWINCH) is seen at once.
    static func terminalWidth() -> Int? {
        guard isatty(1) == 1 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

}
