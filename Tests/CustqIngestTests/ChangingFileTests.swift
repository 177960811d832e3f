import CustqDiagnostics
import Foundation
import Testing
@testable import CustqIngest

/// A file that changes while it is loaded (issue 12): mapped, then cut short before its rows
/// are read. Touching the pages past its new end used to kill the process with SIGBUS.
@Suite struct ChangingFileTests {
    @Test func aFileCutShortWhileMappedIsReportedNotACrash() throws {
        let path = NSTemporaryDirectory() + "custq-shrinking-\(getpid()).csv"
        let text = "id,text\n" + (1...2000).map { "\($0),\(String(repeating: "x", count: 30))" }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try InputFile(path: path)
        #expect(truncate(path, 4096) == 0)
        do {
            _ = try DataLoader.load(file, options: LoadOptions())
            Issue.record("a file cut short while loading cannot load")
        } catch {
            #expect(DiagnosticRenderer.render(error) == """
                error: '\(path)' changed while it was being read: nothing was loaded
                  help: load it again once whatever writes it has finished

                """)
        }
        #expect(file.changed)
    }

    @Test func aFileThatStaysAsItWasHasNotChanged() throws {
        let path = NSTemporaryDirectory() + "custq-steady-\(getpid()).csv"
        try "id\n1\n2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try InputFile(path: path)
        #expect(try DataLoader.load(file, options: LoadOptions()).table.rowCount == 2)
        #expect(!file.changed)
    }
}
