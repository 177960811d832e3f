import Foundation
import Testing

/// Statements piped into custq run as they arrive (issue 12): however the input is cut into
/// pieces and paused — mid-line, mid-character, between `;`-separated statements — the
/// answers are the same as when it comes in one piece, and the same as the script file.
@Suite struct StreamedInputTests {
    static let statements = [
        "count", "count where tier = A", "count where region = '华东'", "top 2 by annual_revenue",
        "define doubled = annual_revenue * 2", "top 1 by doubled", "count where nosuch = 1",
        "show 'a;b' as s limit 1", "count; count where churned", "avg(nps_score) by tier",
        ".mode csv", ".mode table", "count where name = '远航金信息技术有限公司'", "describe margin",
        "count where", "-- a comment", "", "show customer_id, tier order by customer_id limit 3",
    ]

    /// Runs custq writing `pieces` to its standard input one after another, pausing
    /// `pauses[i]` microseconds after piece i; returns what it wrote to stdout and stderr.
    static func streamed(_ arguments: [String], pieces: [[UInt8]], pauses: [UInt32]) throws -> (out: String, err: String) {
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        let process = try Run.started(Run.binary, arguments, input: inPipe, output: outPipe, error: errPipe)
        // Read both outputs while writing, so a full pipe never holds custq up.
        nonisolated(unsafe) var collected: (out: String, err: String) = ("", "")
        let reader = Thread { collected = Run.collect(outPipe, errPipe) }
        reader.start()
        // Written with write(2), with SIGPIPE ignored: if custq ends early, the test sees it.
        signal(SIGPIPE, SIG_IGN)
        let input = inPipe.fileHandleForWriting.fileDescriptor
        for (piece, pause) in zip(pieces, pauses) {
            let written = piece.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            #expect(written == piece.count, "custq stopped reading its input")
            if pause > 0 { usleep(pause) }
        }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }
        return (collected.out, withoutTimes(collected.err))
    }

    /// Messages without the load time (`… in 38 ms`), which differs from run to run.
    static func withoutTimes(_ text: String) -> String {
        text.replacingOccurrences(of: #" in [0-9]+ ms"#, with: "", options: .regularExpression)
    }

    @Test func inputCutAnywhereGivesTheSameAnswers() throws {
        var state: UInt64 = 5
        func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let dir = NSTemporaryDirectory() + "custq-streamed-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let arguments = ["examples/customers.csv", "--keep-going"]
        for trial in 0..<6 {
            let text = (0..<(10 + below(20))).map { _ in Self.statements[below(Self.statements.count)] }
                .joined(separator: "\n") + "\n"
            let bytes = Array(text.utf8)
            var cuts = Set((0..<(1 + below(12))).map { _ in 1 + below(bytes.count - 1) })
            cuts.insert(bytes.count)
            var pieces: [[UInt8]] = []
            var start = 0
            for cut in cuts.sorted() {
                pieces.append(Array(bytes[start..<cut]))
                start = cut
            }
            let pauses = pieces.map { _ in UInt32(below(4) == 0 ? 0 : below(8000)) }
            let whole = try Self.streamed(arguments, pieces: [bytes], pauses: [0])
            let cut = try Self.streamed(arguments, pieces: pieces, pauses: pauses)
            #expect(cut.out == whole.out, "trial \(trial), cut at \(cuts.sorted()):\n\(text)")
            #expect(cut.err == whole.err, "trial \(trial), cut at \(cuts.sorted()):\n\(text)")
            // The same statements as a script file give the same results.
            let path = dir + "/t\(trial).cq"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let script = try Run(arguments + ["-f", path])
            #expect(script.out == whole.out, "trial \(trial):\n\(text)")
            #expect(Self.withoutTimes(script.err).replacingOccurrences(of: path, with: "<stdin>") == whole.err, "trial \(trial):\n\(text)")
        }
    }
}
