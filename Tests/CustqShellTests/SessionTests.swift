import Testing
import TestSupport
import Foundation
import Synchronization
@testable import CustqShell

/// Collects what a session writes, for exact comparison.
final class Captured: Sendable {
    private let output = Mutex("")
    private let errors = Mutex("")
    var out: String { output.withLock { $0 } }
    var err: String { errors.withLock { $0 } }

    var console: Console {
        Console(write: { text in self.output.withLock { $0 += text }; return 0 },
                writeError: { text in self.errors.withLock { $0 += text } })
    }
}

func examplesPath(_ file: String) -> String {
    Repository.example(file)
}

@Suite struct SessionTests {
    func session() -> (Session, Captured) {
        let captured = Captured()
        return (Session(console: captured.console), captured)
    }

    @Test func tablesListsLoadedTables() {
        let (session, captured) = session()
        #expect(session.load(path: examplesPath("orders.csv")))
        #expect(session.execute(".tables") == .ok)
        let lines = captured.out.split(separator: "\n")
        // With orders alone, customers are derived from the orders' key.
        #expect(lines.count == 6)
        #expect(lines[1].hasPrefix("│ table     │ rows   │ columns │ source "))
        #expect(lines[3].hasPrefix("│ orders    │ 11,068 │       6 │ " + examplesPath("orders.csv")))
        #expect(lines[4].hasPrefix("│ customers │  1,923 │       1 │ derived from orders.customer_id "))
        #expect(captured.err.hasPrefix("loaded orders: 11,068 rows, 6 columns from "))
    }

    @Test func noTablesYet() {
        let (session, captured) = session()
        #expect(session.execute(".tables") == .ok)
        #expect(captured.out == "no tables loaded: load one with .load FILE\n")
    }

    @Test func schemaShowsTypesNullsAndExamples() {
        let (session, captured) = session()
        #expect(session.execute(".load \(examplesPath("responses.json")) as surveys") == .ok)
        #expect(session.execute(".schema surveys") == .ok)
        #expect(captured.out.hasPrefix("surveys: 1,476 rows, 6 columns (from "))
        #expect(captured.out.hasSuffix("""
            ┌───────────────┬─────────┬───────┬────────────┐
            │ column        │ type    │ nulls │ example    │
            ├───────────────┼─────────┼───────┼────────────┤
            │ response_id   │ integer │     0 │ 1          │
            │ customer_id   │ integer │     0 │ 3          │
            │ response_date │ date    │     0 │ 2024-04-21 │
            │ nps_score     │ integer │     0 │ 7          │
            │ csat          │ integer │   146 │ 4          │
            │ comment       │ string  │     0 │ OK overall │
            └───────────────┴─────────┴───────┴────────────┘

            """))
    }

    @Test func unknownCommandSuggestsTheClosestOne() {
        let (session, captured) = session()
        #expect(session.execute(".tabels") == .failed)
        #expect(captured.err == """
            error: unknown command '.tabels'
                 | .tabels
                 | ^~~~~~~
              help: did you mean .tables? type .help for the list of commands

            """)
    }

    @Test func unknownTableSuggestsALoadedOne() {
        let (session, captured) = session()
        session.load(path: examplesPath("orders.csv"))
        #expect(session.execute(".schema order") == .failed)
        #expect(captured.err.hasSuffix("""
            error: no table named 'order'
                 | .schema order
                 |         ^~~~~
              help: did you mean 'orders'?

            """))
    }

    @Test func wrongArgumentsShowUsage() {
        let (session, captured) = session()
        #expect(session.execute(".tables customers") == .failed)
        #expect(captured.err == """
            error: wrong arguments for .tables
                 | .tables customers
                 |         ^
              help: usage: .tables

            """)
    }

    @Test func failedLoadIsReportedAndLeavesCatalogAlone() {
        let (session, captured) = session()
        #expect(session.execute(".load /nonexistent.csv") == .failed)
        #expect(captured.err == "error: cannot open '/nonexistent.csv': no such file\n")
        #expect(session.catalog.tables.isEmpty)
    }

    @Test func quitCommentsAndBlankLines() {
        let (session, captured) = session()
        #expect(session.execute("   ") == .ok)
        #expect(session.execute("-- a comment") == .ok)
        #expect(session.execute(".quit") == .quit)
        #expect(session.execute(".exit") == .quit)
        #expect(captured.out.isEmpty && captured.err.isEmpty)
    }

    @Test func queryWithoutTablesSaysToLoadOne() {
        let (session, captured) = session()
        #expect(session.execute("top 10 by clv") == .failed)
        #expect(captured.err == """
            error: no table to query: load a file first
                 | top 10 by clv
                 | ^~~~~~~~~~~~~
              help: start custq with a file (custq customers.csv) or use .load FILE

            """)
    }

    @Test func helpListsEveryCommand() {
        let (session, captured) = session()
        session.execute(".help")
        for command in DotCommand.catalogue { #expect(captured.out.contains(command.usage)) }
    }
}
