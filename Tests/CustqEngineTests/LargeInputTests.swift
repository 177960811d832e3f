import Foundation
import CustqIngest
import Testing
@testable import CustqEngine

/// Large counts and long expressions (issue 12): answers equal to the plain method, and
/// limits that are messages.
@Suite struct LargeInputTests {
    /// `rows` rows, values 0…49 (many ties), every 7th row null; key = the row number.
    func engine(rows: Int = 5000) throws -> Engine {
        var text = "customer_id,x\n"
        for row in 0..<rows { text += "\(row + 1)," + (row % 7 == 3 ? "" : String((row * 37) % 50)) + "\n" }
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(contents: Array(text.utf8), path: "customers.csv").table)
        return engine
    }

    @Test func topOfManyRowsIsTheSortedOrder() throws {
        let engine = try engine()
        var rows: [(id: Int, x: Int)] = []
        for row in 0..<5000 where row % 7 != 3 { rows.append((row + 1, (row * 37) % 50)) }
        // Largest first, ties by the key ascending.
        let sorted = rows.sorted { $0.x != $1.x ? $0.x > $1.x : $0.id < $1.id }
        for n in [10, 64, 65, 1000, 4285, 5000] {
            let expected = "customer_id,x\n" + sorted.prefix(n).map { "\($0.id),\($0.x)\n" }.joined()
            #expect(try csv(engine, "top \(n) by x") == expected, "top \(n)")
        }
        let ascending = rows.sorted { $0.x != $1.x ? $0.x < $1.x : $0.id < $1.id }
        #expect(try csv(engine, "bottom 300 by x") == "customer_id,x\n" + ascending.prefix(300).map { "\($0.id),\($0.x)\n" }.joined())
    }

    @Test func flatChainsOfAnyLengthAreAnswersOrAMessage() throws {
        // The length of the statement is what is under test, not the number of rows.
        let engine = try engine(rows: 60)
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<12 {
            let terms = 1 + next(12_500)
            let op = ["+", "*", "-", "or", "and"][next(5)]
            let term = op == "or" || op == "and" ? "x > 3" : "1"
            let source = (op == "or" || op == "and" ? "count where " : "show ")
                + Array(repeating: term, count: terms).joined(separator: " \(op) ") + (op == "or" || op == "and" ? "" : " as v limit 1")
            let outcome = error(engine, source)
            if terms - 1 > 10_000 {
                #expect(outcome.hasPrefix("error: this statement has more than 10,000 operators"), "\(terms) \(op)")
            } else {
                #expect(outcome == "ran", "\(terms) \(op): \(outcome.prefix(200))")
            }
        }
    }

    /// Counts the engine's questions "stop now?" and answers yes from the `stopAt`-th on.
    final class StopCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var asked = 0
        let stopAt: Int
        init(stopAt: Int = .max) { self.stopAt = stopAt }
        var count: Int { lock.withLock { asked } }
        func ask() -> Bool { lock.withLock { asked += 1; return asked >= stopAt } }
    }

    /// Ctrl-C reaches the statements that take long on large data (top, sorting, describe,
    /// cohort, definitions): each asks whether to stop as it works (not only before it
    /// starts), and stops when told.
    @Test func longStatementsAskToStopAsTheyWork() throws {
        var customers = "customer_id,x,tier\n", orders = "order_id,customer_id,order_date,amount\n"
        for row in 0..<200_000 { customers += "\(row + 1),\((row &* 7919) % 100_003),\(["A", "B", "C"][row % 3])\n" }
        for row in 0..<300_000 {
            orders += "\(row + 1),\(row % 150_000 + 1),2024-\(String(format: "%02d", row % 12 + 1))-\(String(format: "%02d", row % 28 + 1)),\(row % 500)\n"
        }
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(contents: Array(customers.utf8), path: "customers.csv").table)
        engine.catalog.add(try DataLoader.load(contents: Array(orders.utf8), path: "orders.csv").table)
        _ = try engine.run("define twice = x * 2")
        for statement in ["top 150000 by x", "top 10 by twice", "show customer_id order by x limit 5", "describe", "cohort"] {
            let counter = StopCounter()
            engine.shouldStop = { counter.ask() }
            _ = try engine.run(statement)
            let asked = counter.count
            #expect(asked >= 3, "\(statement) asked \(asked) times")
            let stopping = StopCounter(stopAt: max(2, asked / 2))
            engine.shouldStop = { stopping.ask() }
            #expect(error(engine, statement).hasPrefix("error: interrupted"), "\(statement)")
        }
        engine.shouldStop = nil
    }
}
