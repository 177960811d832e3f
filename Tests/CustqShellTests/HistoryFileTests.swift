import Foundation
import Testing
@testable import CustqShell

/// Where the prompt keeps its history, and when it keeps none (issue 12).
@Suite struct HistoryFileTests {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "custq-history-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func anEmptyHomeMeansNoHistory() {
        let chosen = HistoryFile.choose(environment: ["HOME": ""])
        #expect(chosen.path == nil)
        #expect(chosen.warning == "history is not kept: HOME is empty (CUSTQ_HISTORY=FILE keeps it in FILE)")
        #expect(HistoryFile.choose(environment: ["HOME": "/home/ann/"]).path == "/home/ann/.custq_history")
    }

    @Test func onlyAHistoryFileOrANewOneIsUsed() throws {
        let dir = Self.directory
        let fresh = dir + "/fresh"
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": fresh]) == (fresh, nil))
        let empty = dir + "/empty"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": empty]) == (empty, nil))
        let kept = dir + "/kept"
        try "_HiStOrY_V2_\ncount\n".write(toFile: kept, atomically: true, encoding: .utf8)
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": kept]) == (kept, nil))
        let report = dir + "/report.csv"
        try "id,amount\n1,2\n".write(toFile: report, atomically: true, encoding: .utf8)
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": report]) == (nil,
            "history is not kept: \(report) is not a custq history file (it does not start with _HiStOrY_V2_), so it is left as it is"))
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": dir]) == (nil, "history is not kept: \(dir) is a directory, not a file"))
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": "/dev/zero"]) == (nil,
            "history is not kept: /dev/zero is not a regular file (a FIFO, a device or a socket)"))
        let fifo = dir + "/fifo"
        mkfifo(fifo, 0o600)
        #expect(HistoryFile.choose(environment: ["CUSTQ_HISTORY": fifo]).path == nil)
    }
}
