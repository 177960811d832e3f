import Foundation
import Testing
import TestSupport

/// The README's first session, typed into the release build (what `make run` opens and
/// users run, built with other flags than the tests) at an 80-column terminal: the screen
/// must read exactly as the README does, but for load times.
@Suite(.serialized, .enabled(if: Terminal.available, "tmux is not installed: make test installs it"))
struct ReadmeSessionTests {
    static let releaseBinary = Repository.releaseCustq

    /// The lines of the README's "A first session" block after `$ make run`.
    static func firstSession() throws -> [String] {
        let readme = try String(contentsOfFile: Run.root + "/README.md", encoding: .utf8)
        guard let heading = readme.range(of: "## A first session"),
              let open = readme.range(of: "```\n", range: heading.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex) else { return [] }
        let lines = readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        return lines.drop { $0.hasPrefix("$ ") }.map(String.init)
    }

    static func withoutTimings(_ line: String) -> String {
        line.replacingOccurrences(of: #" in [0-9.]+ m?s$"#, with: " in TIME", options: .regularExpression)
    }

    @Test func theFirstSessionReadsAsTheReadmeSays() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.releaseBinary),
                "make test builds the release binary first (swift build -c release)")
        let expected = try Self.firstSession()
        let statements = expected.filter { $0.hasPrefix("custq> ") }.map { String($0.dropFirst(7)) }
        #expect(statements.last == "^D")
        let terminal = try Terminal(files: ["examples/customers.csv", "examples/orders.csv", "examples/responses.json"],
                                    history: NSTemporaryDirectory() + "custq-readme-history-\(getpid())",
                                    binary: Self.releaseBinary, width: 80, height: 120)
        defer { terminal.close() }
        #expect(terminal.waitForPrompt(), "\(terminal.exitStatus)\n\(terminal.everything)")
        for statement in statements.dropLast() {
            #expect(terminal.run(statement), "typing \(statement)")
        }
        // What the pane shows, without the blank rows below the last prompt.
        var screen = terminal.everything.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = screen.last, last.isEmpty { screen.removeLast() }
        // The README marks Ctrl-D on the last prompt; the terminal shows the bare prompt.
        let readme = expected.map { $0 == "custq> ^D" ? "custq>" : $0 }
        #expect(screen.map(Self.withoutTimings) == readme.map(Self.withoutTimings))
        terminal.send("C-d")
        #expect(terminal.waitForExit(), "\(terminal.exitStatus)")
    }
}

extension Terminal {
    /// Types `statement` at the prompt, presses Enter and waits for the next prompt.
    func run(_ statement: String) -> Bool {
        let prompts = everything.split(separator: "\n").filter { $0.hasPrefix("custq>") }.count
        type(statement)
        guard waitUntil({ $0.split(separator: "\n").last.map(String.init) == "custq> " + statement }) else { return false }
        send("Enter")
        return waitUntil { _ in
            let lines = everything.split(separator: "\n")
            return lines.filter { $0.hasPrefix("custq>") }.count == prompts + 1 && lines.last == "custq>"
        }
    }
}
