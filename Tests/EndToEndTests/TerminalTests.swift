import Foundation
import Testing

/// Drives the real shell in a terminal through tmux, as a person would: typing, Tab,
/// Up, Ctrl-C and Ctrl-D, reading the screen.
struct Terminal {
    static let socket = "custq-test-\(getpid())"
    let session = "shell"

    static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux command through the C library (Foundation's Process waits forever on
    /// the client of `new-session -d`, whose server it started keeps running).
    @discardableResult
    static func tmux(_ arguments: [String], reading: Bool = false) -> String {
        let command = (["tmux", "-L", socket] + arguments).map(quote).joined(separator: " ")
        guard reading else {
            _ = system(command + " >/dev/null 2>&1 </dev/null")
            return ""
        }
        guard let pipe = popen(command + " 2>/dev/null </dev/null", "r") else { return "" }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        pclose(pipe)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func quote(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Starts custq on `files` in a 120x40 terminal, with its history in a temporary file.
    init(files: [String], history: String, noColor: Bool = false) throws {
        let script = NSTemporaryDirectory() + "custq-terminal-\(getpid()).sh"
        // Ctrl-C must reach custq, not end the wrapper (see LIBEDIT.md).
        try """
            #!/bin/sh
            trap '' INT
            cd '\(Run.root)'
            export CUSTQ_HISTORY='\(history)' LANG=C.UTF-8
            \(noColor ? "export NO_COLOR=1" : "unset NO_COLOR   # a person's colour terminal (the test runner may set it)")
            exec env --default-signal=INT '\(Run.binary)' \(files.map { "'\($0)'" }.joined(separator: " "))
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        Self.tmux(["new-session", "-d", "-s", session, "-x", "120", "-y", "40", script])
    }

    func send(_ keys: String...) { Self.tmux(["send-keys", "-t", session] + keys) }
    func type(_ text: String) { Self.tmux(["send-keys", "-t", session, "-l", text]) }
    var screen: String { Self.tmux(["capture-pane", "-t", session, "-p"], reading: true) }
    /// The screen with its colours, as terminal escape codes.
    var colouredScreen: String { Self.tmux(["capture-pane", "-t", session, "-p", "-e"], reading: true) }
    var isRunning: Bool { Self.tmux(["list-sessions"], reading: true).contains(session) }

    /// Waits until the screen shows `text` (or `seconds` pass); returns whether it did.
    /// (tmux drops spaces at the ends of screen lines, so `text` should not end in one.)
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if screen.contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    func close() { Self.tmux(["kill-server"]) }
}

@Suite(.serialized, .enabled(if: Terminal.available, "tmux is not installed: make test installs it"))
struct TerminalTests {
    @Test func typingCompletionHistoryInterruptAndExit() throws {
        let data = NSTemporaryDirectory() + "custq-terminal-data-\(getpid())"
        let generate = try Run(["generate", "--customers", "100000", data])
        #expect(generate.status == 0)
        let history = data + "/history"
        let terminal = try Terminal(files: [data + "/customers.csv"], history: history)
        defer { terminal.close() }
        #expect(terminal.waitFor("loaded customers: 100,000 rows"))
        #expect(terminal.waitFor("custq>"))

        // Completion of a keyword, a column and a defined metric.
        terminal.type("define clv = annual_revenue * lifetime_years * margin")
        terminal.send("Enter")
        #expect(terminal.waitFor("defined clv (column)"))
        terminal.type("his")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> histogram"))
        terminal.type("nps_sc")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> histogram nps_score"))
        terminal.send("C-u")
        terminal.type("top 3 by cl")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> top 3 by clv"))

        // A statement over two lines, then recalled whole with Up.
        terminal.type("where")
        terminal.send("Enter")
        #expect(terminal.waitFor("   ...>"))
        terminal.type("tier = A")
        terminal.send("Enter")
        #expect(terminal.waitFor("3 rows ("))
        terminal.send("Up")
        #expect(terminal.waitFor("custq> top 3 by clv where\ntier = A"))
        terminal.send("C-c")

        // Chinese input in a UTF-8 locale.
        terminal.type("count where region = 华东 and tier = A")
        terminal.send("Enter")
        #expect(terminal.waitFor("rows matched)"))

        // Ctrl-C during a slow query stops it; the data is still there.
        terminal.type("describe")
        terminal.send("Enter")
        usleep(400_000)
        terminal.send("C-c")
        #expect(terminal.waitFor("interrupted", seconds: 5))
        terminal.type("count")
        terminal.send("Enter")
        #expect(terminal.waitFor("100,000"))

        // Ctrl-D leaves; the history file is private.
        terminal.send("C-d")
        let deadline = Date().addingTimeInterval(5)
        while terminal.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!terminal.isRunning)
        let attributes = try FileManager.default.attributesOfItem(atPath: history)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func cohortCellsAreShadedByTheirShare() throws {
        let terminal = try Terminal(files: ["examples/customers.csv", "examples/orders.csv"],
                                    history: NSTemporaryDirectory() + "custq-terminal-history-\(getpid())")
        defer { terminal.close() }
        #expect(terminal.waitFor("custq>"))
        terminal.type("cohort by year")
        terminal.send("Enter")
        #expect(terminal.waitFor("note: 1,923 customers by the year of their first order"))
        // 2018's year 0 is 100% (deepest blue, white text); its year 7 is 25.4% (pale blue).
        let screen = terminal.colouredScreen
        #expect(screen.contains("\u{1B}[38;5;231m\u{1B}[48;5;19m  100.0 "))
        #expect(screen.contains("\u{1B}[38;5;16m\u{1B}[48;5;159m   25.4 "))
        #expect(terminal.screen.contains("│ 2018   │        71 │  100.0 │   54.9 │   60.6 │   53.5 │   47.9 │   43.7 │   40.8 │   25.4 │"))
        #expect(terminal.screen.contains("│ 2025   │       212 │  100.0 │        │"))
        terminal.close()

        // NO_COLOR set: the same table without colours.
        let plain = try Terminal(files: ["examples/customers.csv", "examples/orders.csv"],
                                 history: NSTemporaryDirectory() + "custq-terminal-history-\(getpid())", noColor: true)
        defer { plain.close() }
        #expect(plain.waitFor("custq>"))
        plain.type("cohort by year")
        plain.send("Enter")
        #expect(plain.waitFor("note: 1,923 customers by the year of their first order"))
        #expect(!plain.colouredScreen.contains("48;5;"))
        #expect(plain.screen.contains("│ 2018   │        71 │  100.0 │   54.9 │"))
    }
}
