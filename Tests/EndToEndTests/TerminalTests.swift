import Foundation
import Testing

/// The shell at a terminal, driven through tmux as a person would: typing, Tab, Up,
/// Ctrl-C, Ctrl-D and resizing the window, and reading the screen. Every step waits for
/// what the screen shows, never for a fixed time.
@Suite(.serialized, .enabled(if: Terminal.available, "tmux is not installed: make test installs it"))
struct TerminalTests {
    /// 100,000 generated customers (about 14 MB) and their orders (about 26 MB): enough
    /// that describe and loading the orders take seconds in a debug build.
    static let data: String = {
        let directory = NSTemporaryDirectory() + "custq-terminal-data-\(getpid())"
        if !FileManager.default.fileExists(atPath: directory + "/orders.csv") {
            _ = try? Run(["generate", "--customers", "100000", directory])
        }
        return directory
    }()

    static func history() -> String { NSTemporaryDirectory() + "custq-terminal-history-\(getpid())-\(UUID().uuidString)" }

    @Test func typingCompletionHistoryAndExit() throws {
        let history = Self.history()
        let terminal = try Terminal(files: ["examples/customers.csv"], history: history)
        defer { terminal.close() }
        #expect(terminal.waitFor("loaded customers: 2,000 rows"))
        #expect(terminal.waitForPrompt())

        // Completion of a keyword, a column and a defined metric.
        terminal.type("define spend = annual_revenue * lifetime_years")
        terminal.send("Enter")
        #expect(terminal.waitFor("defined spend (column)"))
        terminal.type("his")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> histogram"))
        terminal.type("nps_sc")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> histogram nps_score"))
        terminal.send("C-u")
        terminal.type("top 3 by spe")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> top 3 by spend"))

        // A statement over two lines, then recalled whole with Up.
        terminal.type("where")
        terminal.send("Enter")
        #expect(terminal.waitFor("   ...>"))
        terminal.type("tier = A")
        terminal.send("Enter")
        #expect(terminal.waitFor("3 rows ("))
        terminal.send("Up")
        #expect(terminal.waitFor("custq> top 3 by spend where\ntier = A"))
        terminal.send("C-c")

        // Chinese input in a UTF-8 locale.
        terminal.type("count where region = 华东 and tier = A")
        terminal.send("Enter")
        #expect(terminal.waitFor("rows matched)"))

        // Ctrl-D leaves; the history file is private.
        terminal.send("C-d")
        #expect(terminal.waitForExit(), "\(terminal.exitStatus)\n\(terminal.screen)")
        let attributes = try FileManager.default.attributesOfItem(atPath: history)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func ctrlCStopsARunningQueryAndKeepsTheData() throws {
        let terminal = try Terminal(files: [Self.data + "/customers.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitFor("loaded customers: 100,000 rows"))
        #expect(terminal.waitForPrompt())
        terminal.type("describe")
        terminal.send("Enter")
        // A statement running over a second says so, and how to stop it.
        #expect(terminal.waitFor("Ctrl-C stops it"))
        terminal.send("C-c")
        #expect(terminal.waitFor("interrupted"))
        #expect(terminal.waitForPrompt())
        #expect(!terminal.screen.contains("Ctrl-C stops it"))
        terminal.type("count")
        terminal.send("Enter")
        #expect(terminal.waitFor("│ 100,000 │"))
    }

    @Test func keysTypedWhileAStatementRunsReachTheNextPrompt() throws {
        let terminal = try Terminal(files: [Self.data + "/customers.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        terminal.type("describe")
        terminal.send("Enter")
        #expect(terminal.waitFor("Ctrl-C stops it"))
        // Typed while describe runs: kept, not echoed into its output, and shown at the
        // next prompt.
        terminal.type("coun")
        #expect(terminal.waitFor("custq> coun"))
        terminal.type("t")
        terminal.send("Enter")
        #expect(terminal.waitFor("│ 100,000 │"))
        #expect(terminal.waitForPrompt())
        // A Ctrl-D typed while a statement runs leaves once it has finished.
        terminal.type("describe")
        terminal.send("Enter")
        #expect(terminal.waitFor("Ctrl-C stops it"))
        terminal.send("C-d")
        #expect(terminal.waitForExit(), "\(terminal.exitStatus)\n\(terminal.screen)")
    }

    @Test func ctrlCStopsALoadAndAddsNoTable() throws {
        let terminal = try Terminal(files: [Self.data + "/customers.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        terminal.type(".load \(Self.data)/orders.csv")
        terminal.send("Enter")
        // The progress bar of a load that takes a while, then Ctrl-C.
        #expect(terminal.waitFor("Ctrl-C stops it"))
        terminal.send("C-c")
        #expect(terminal.waitFor("interrupted: \(Self.data)/orders.csv was not loaded"))
        #expect(terminal.waitForPrompt())
        terminal.type(".tables")
        terminal.send("Enter")
        #expect(terminal.waitFor("│ customers │ 100,000 │"))
        #expect(terminal.waitForPrompt())
        #expect(!terminal.screen.contains("│ orders "))
    }

    @Test func ctrlCStopsPrintingALongResult() throws {
        let terminal = try Terminal(files: [Self.data + "/customers.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        terminal.type(".maxrows 0")
        terminal.send("Enter")
        #expect(terminal.waitForPrompt())
        terminal.type("show customer_id, name, region")
        #expect(terminal.waitFor("custq> show customer_id, name, region"))
        terminal.send("Enter")
        // A terminal slower than the result: Ctrl-S holds its output, as a slow link would,
        // until custq is waiting to write the rows. Then Ctrl-C, and Ctrl-Q lets it through.
        terminal.send("C-s")
        #expect(terminal.waitUntilBlockedWriting())
        terminal.send("C-c")
        terminal.send("C-q")
        #expect(terminal.waitFor("interrupted: the rest of the result was not printed"))
        #expect(terminal.waitForPrompt())
        #expect(!terminal.everything.split(separator: "\n").contains("100,000 rows"))
        terminal.type("count")
        terminal.send("Enter")
        #expect(terminal.waitFor("│ 100,000 │"))
    }

    @Test func tabCompletesEveryStatementWord() throws {
        let terminal = try Terminal(files: ["examples/customers.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        for (typed, completed) in [("rf", "rfm"), ("ab", "abc"), ("ex", "explain"), ("me", "metrics"), (".ex", ".exit")] {
            terminal.type(typed)
            terminal.send("Tab")
            #expect(terminal.waitFor("custq> \(completed)"), "\(typed) → \(completed)")
            terminal.send("C-u")
        }
        // Tab on an empty line lists the statement words.
        terminal.send("Tab")
        #expect(terminal.waitUntil { $0.contains("cohort") && $0.contains("undefine") && $0.contains("histogram") })
        terminal.send("C-u")
        terminal.send("C-l")
        // After explain, only metric names: the first Tab completes what they share
        // (nps → nps and nps_group), the second lists them.
        terminal.type("explain np")
        terminal.send("Tab")
        #expect(terminal.waitFor("custq> explain nps"))
        #expect(!terminal.screen.contains("nps_group"))
        terminal.send("Tab")
        #expect(terminal.waitFor("nps_group"))
        #expect(!terminal.screen.contains("nps_score"))
    }

    @Test func historyThatCannotBeSavedIsReportedOnce() throws {
        let directory = NSTemporaryDirectory() + "custq-gone-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let terminal = try Terminal(files: ["examples/customers.csv"], history: directory + "/history")
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        try FileManager.default.removeItem(atPath: directory)   // the history's folder goes away
        terminal.type("count")
        terminal.send("Enter")
        #expect(terminal.waitFor("warning: history could not be saved to \(directory)/history: No such file or directory"))
        #expect(terminal.waitForPrompt())
        terminal.type("count where tier = A")
        terminal.send("Enter")
        #expect(terminal.waitFor("1 row (418 of 2,000 rows matched)"))
        #expect(terminal.screen.components(separatedBy: "history could not be saved").count == 2)
        terminal.send("C-d")
        #expect(terminal.waitForExit())
    }

    @Test func tablesFitTheTerminalAsItIsResized() throws {
        let terminal = try Terminal(files: ["examples/customers.csv"], history: Self.history(), width: 100)
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        terminal.type("show * limit 3")
        terminal.send("Enter")
        #expect(terminal.waitFor("more columns (wider than the terminal"))
        let narrow = terminal.screen
        #expect(narrow.split(separator: "\n").allSatisfy { DisplayWidthForTests.of(String($0)) <= 100 })
        // The first column and the numbers are whole; text is cut to readable widths, not stubs.
        #expect(narrow.contains("│ customer_id │"))
        terminal.resize(width: 200)
        terminal.send("C-l")
        terminal.type("show * limit 3")
        terminal.send("Enter")
        #expect(terminal.waitUntil { screen in
            screen.split(separator: "\n").contains { DisplayWidthForTests.of(String($0)) > 100 }
        })
        #expect(terminal.screen.split(separator: "\n").allSatisfy { DisplayWidthForTests.of(String($0)) <= 200 })
    }

    @Test func cohortCellsAreShadedByTheirShare() throws {
        let terminal = try Terminal(files: ["examples/customers.csv", "examples/orders.csv"], history: Self.history())
        defer { terminal.close() }
        #expect(terminal.waitForPrompt())
        terminal.type("cohort by year")
        terminal.send("Enter")
        #expect(terminal.waitFor("note: 1,923 customers by the year of their first order"))
        // 2018's year 0 is 100% (deepest blue, white text); its year 7 is 25.4% (pale blue).
        let screen = terminal.colouredScreen
        #expect(screen.contains("\u{1B}[38;5;231m\u{1B}[48;5;19m  100.0 "))
        #expect(screen.contains("\u{1B}[38;5;16m\u{1B}[48;5;159m   25.4 "))
        #expect(terminal.screen.contains("│ 2018   │        71 │  100.0 │   54.9 │   60.6 │   53.5 │   47.9 │   43.7 │   40.8 │   25.4 │"))
        #expect(terminal.screen.contains("│ 2025   │       212 │  100.0 │        │"))
    }

    @Test func noColorGivesTheSameCohortTableWithoutColours() throws {
        let plain = try Terminal(files: ["examples/customers.csv", "examples/orders.csv"], history: Self.history(),
                                 noColor: true)
        defer { plain.close() }
        #expect(plain.waitForPrompt())
        plain.type("cohort by year")
        plain.send("Enter")
        #expect(plain.waitFor("note: 1,923 customers by the year of their first order"))
        #expect(!plain.colouredScreen.contains("48;5;"))
        #expect(plain.screen.contains("│ 2018   │        71 │  100.0 │   54.9 │"))
    }
}

/// Display width as a terminal counts it, for checking that lines fit (CJK: 2 cells).
enum DisplayWidthForTests {
    static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return width + (wide ? 2 : 1)
        }
    }
}
