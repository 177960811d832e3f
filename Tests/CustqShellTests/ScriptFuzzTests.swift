import Foundation
import Testing
@testable import CustqShell

/// Random scripts that read one another (`.read`), cycles included: each run ends, with the
/// statements a plain walk of the scripts predicts, stopping at the first error, and a
/// chain deeper than 25 scripts is the message, not a crash.
@Suite struct ScriptFuzzTests {
    enum Line {
        case count(Int)          // `count where customer_id <= N`: prints N
        case read(Int)           // `.read sN.cq`
        case mistake             // an unknown column: the script stops
    }

    /// What running script `index` prints, as the session should: nil once the walk is
    /// too long to be worth running.
    static func expected(_ scripts: [[Line]], _ index: Int, depth: Int, out: inout [Int], budget: inout Int)
        -> (failed: Bool, tooDeep: Bool)? {
        guard depth < Session.maxScriptDepth else { return (true, true) }
        for line in scripts[index] {
            budget -= 1
            if budget < 0 { return nil }
            switch line {
            case .count(let n): out.append(n)
            case .mistake: return (true, false)
            case .read(let other):
                guard let inner = expected(scripts, other, depth: depth + 1, out: &out, budget: &budget) else { return nil }
                if inner.failed { return inner }
            }
        }
        return (false, false)
    }

    @Test func scriptsReadingScriptsEndAsAWalkOfThemPredicts() throws {
        let dir = NSTemporaryDirectory() + "custq-scripts-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ("customer_id\n" + (1...30).map(String.init).joined(separator: "\n") + "\n")
            .write(toFile: dir + "/customers.csv", atomically: true, encoding: .utf8)
        var state: UInt64 = 21
        func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var ran = 0, deep = 0, stopped = 0
        for _ in 0..<150 {
            let count = 1 + below(5)
            let scripts: [[Line]] = (0..<count).map { _ in
                (0..<below(5)).map { _ in
                    switch below(10) {
                    case 0..<5: .count(1 + below(30))
                    case 5..<9: .read(below(count))
                    default: .mistake
                    }
                }
            }
            var out: [Int] = []
            var budget = 2000
            guard let outcome = Self.expected(scripts, 0, depth: 0, out: &out, budget: &budget) else { continue }
            for (index, lines) in scripts.enumerated() {
                let text = lines.map { line in
                    switch line {
                    case .count(let n): "count where customer_id <= \(n)"
                    case .read(let other): ".read \(dir)/s\(other).cq"
                    case .mistake: "count where nosuch > 1"
                    }
                }
                try (text.joined(separator: "\n") + "\n").write(toFile: dir + "/s\(index).cq", atomically: true, encoding: .utf8)
            }
            let captured = Captured()
            let session = Session(console: captured.console)
            #expect(session.load(path: dir + "/customers.csv"))
            #expect(session.execute(".mode csv") == .ok)
            let result = session.runScript(dir + "/s0.cq")
            let context = scripts.enumerated().map { "s\($0.offset): \($0.element)" }.joined(separator: "\n")
            #expect(result == (outcome.failed ? .failed : .ok), "\(context)")
            #expect(captured.out == out.map { "count\n\($0)\n" }.joined(), "\(context)")
            #expect(captured.err.contains("more than 25 deep") == outcome.tooDeep, "\(context)")
            #expect(captured.err.contains("unknown column") == (outcome.failed && !outcome.tooDeep), "\(context)")
            ran += 1
            if outcome.tooDeep { deep += 1 } else if outcome.failed { stopped += 1 }
        }
        // Every ending was tried: scripts that finish, stop at a mistake, and read too deep.
        #expect(ran > 100 && deep > 10 && stopped > 10, "ran \(ran), too deep \(deep), stopped \(stopped)")
    }
}
