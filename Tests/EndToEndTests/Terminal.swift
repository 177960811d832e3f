import Foundation
import Synchronization
import Testing

/// Drives the real shell in a terminal through tmux, as a person would: typing, Tab,
/// Up, Ctrl-C and Ctrl-D, reading the screen.
///
/// Every terminal has a tmux server of its own (its own `-L` socket), so one test's
/// `kill-server` can never race the next test's `new-session` (LIBEDIT.md).
struct Terminal {
    private static let started = Atomic<Int>(0)
    let socket: String
    let session = "shell"

    static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux command through the C library (Foundation's Process waits forever on
    /// the client of `new-session -d`, whose server it started keeps running).
    @discardableResult
    func tmux(_ arguments: [String], reading: Bool = false) -> String {
        let command = (["tmux", "-L", socket, "-f", Self.configuration] + arguments).map(Self.quote).joined(separator: " ")
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

    /// tmux's settings for the tests, not the user's: a pane stays after its program ends,
    /// so what it printed last (and how it ended) can still be read.
    static let configuration: String = {
        let path = NSTemporaryDirectory() + "custq-tmux-\(getpid()).conf"
        try? "set -g remain-on-exit on\nset -g history-limit 10000\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static func quote(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Starts custq (`binary`, the debug build by default) on `files` in a `width` × `height`
    /// terminal, with its history in `history`, from the package root.
    init(files: [String], history: String, noColor: Bool = false, binary: String = Run.binary,
         width: Int = 120, height: Int = 40) throws {
        let number = Self.started.add(1, ordering: .relaxed).newValue
        socket = "custq-test-\(getpid())-\(number)"
        let script = NSTemporaryDirectory() + "custq-terminal-\(getpid())-\(number).sh"
        // Ctrl-C must reach custq, not end the wrapper (see LIBEDIT.md).
        try """
            #!/bin/sh
            trap '' INT
            cd '\(Run.root)'
            export CUSTQ_HISTORY='\(history)' LANG=C.UTF-8
            \(noColor ? "export NO_COLOR=1" : "unset NO_COLOR   # a person's colour terminal (the test runner may set it)")
            exec env --default-signal=INT '\(binary)' \(files.map { "'\($0)'" }.joined(separator: " "))
            """.write(toFile: script, atomically: true, encoding: .utf8)
        // Run by sh rather than executed: another test's fork may still hold the file open
        // for writing, and executing it would then fail ("Text file busy").
        tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), "/bin/sh " + Self.quote(script)])
    }

    func send(_ keys: String...) { tmux(["send-keys", "-t", session] + keys) }
    func type(_ text: String) { tmux(["send-keys", "-t", session, "-l", text]) }
    var screen: String { tmux(["capture-pane", "-t", session, "-p"], reading: true) }
    /// Everything the pane has shown, the lines scrolled off the top included.
    var everything: String { tmux(["capture-pane", "-t", session, "-p", "-S", "-"], reading: true) }
    /// The screen with its colours, as terminal escape codes.
    var colouredScreen: String { tmux(["capture-pane", "-t", session, "-p", "-e"], reading: true) }
    /// Whether custq is still running in the pane (it stays after custq ends, see `configuration`).
    var isRunning: Bool {
        tmux(["display-message", "-p", "-t", session, "#{pane_dead}"], reading: true).hasPrefix("0")
    }

    /// How the program in the pane ended, for messages when a test fails.
    var exitStatus: String {
        tmux(["display-message", "-p", "-t", session,
              "dead: #{pane_dead}, status: #{pane_dead_status}, signal: #{pane_dead_signal}"], reading: true)
    }

    /// Waits for the program in the pane to end; whether it ended with status 0. (tmux may
    /// not learn the status of a pane that ended while other tests were starting and ending
    /// programs; then ending at all is what can be told.)
    func waitForExit(seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var deadSince: Date?
        while Date() < deadline {
            let status = tmux(["display-message", "-p", "-t", session, "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}"],
                              reading: true).trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = status.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3, parts[0] == "1" {
                if !parts[1].isEmpty { return parts[1] == "0" }
                if !parts[2].isEmpty { return false }   // ended by a signal
                deadSince = deadSince ?? Date()
                if Date().timeIntervalSince(deadSince!) > 2 { return true }
            }
            usleep(20_000)
        }
        return false
    }

    /// Makes the terminal `width` columns wide, as a person dragging the window would.
    func resize(width: Int, height: Int = 40) {
        tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen shows `text`, or `seconds` pass; returns whether it did.
    /// (tmux drops spaces at the ends of screen lines, so `text` should not end in one.)
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 60) -> Bool {
        waitUntil(seconds: seconds) { $0.contains(text) }
    }

    /// Waits until the screen satisfies `condition`, or `seconds` pass.
    @discardableResult
    func waitUntil(seconds: Double = 60, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let shown = screen
            if condition(shown) { return true }
            // Nothing more will appear once the program has ended.
            if !isRunning { return condition(screen) }
            usleep(20_000)
        }
        return false
    }

    /// Waits for the prompt to be the last line on the screen (custq is idle again).
    @discardableResult
    func waitForPrompt(seconds: Double = 60) -> Bool {
        waitUntil(seconds: seconds) { screen in
            screen.split(separator: "\n").last.map { $0.hasPrefix("custq>") } ?? false
        }
    }

    /// The process running in the terminal (custq: the wrapper script execs it).
    var processID: Int32? {
        Int32(tmux(["display-message", "-p", "-t", session, "#{pane_pid}"], reading: true)
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits until custq sits in a write to the terminal that cannot go on (its output is
    /// held): the system call one of its threads is in, from /proc (write is 1 on x86-64,
    /// 64 on arm64; statements run on a thread of their own).
    func waitUntilBlockedWriting(seconds: Double = 60) -> Bool {
        guard let pid = processID else { return false }
        let write = ["1", "64"]
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for task in tasks {
                let call = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/syscall", encoding: .utf8))?
                    .split(separator: " ").first.map(String.init)
                if let call, write.contains(call) { return true }
            }
            usleep(20_000)
        }
        return false
    }

    /// Ends the terminal's tmux server and waits until it is gone.
    func close() {
        tmux(["kill-server"])
        let deadline = Date().addingTimeInterval(10)
        while !tmux(["list-sessions"], reading: true).isEmpty && Date() < deadline { usleep(20_000) }
    }
}
