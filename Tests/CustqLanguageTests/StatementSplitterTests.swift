import Testing
@testable import CustqLanguage

@Suite struct StatementSplitterTests {
    func texts(_ source: String) -> [String] { StatementSplitter.split(source).pieces.map(\.text) }

    @Test func newlinesAndSemicolonsEndStatements() {
        #expect(texts("count\ncount by tier; avg margin\n") == ["count", "count by tier", "avg margin"])
    }

    @Test func openStatementsContinueOnTheNextLine() {
        #expect(texts("avg clv,\n  count by region where\ntier = A\n") == ["avg clv,\n  count by region where\ntier = A"])
        // A line that starts with a clause continues the statement above it.
        #expect(texts("avg clv, count\n  by region\n  -- note\n  order by region\ncount\n") ==
                ["avg clv, count\n  by region\n  -- note\n  order by region", "count"])
        #expect(texts("count where (a = 1\n or b = 2)\n") == ["count where (a = 1\n or b = 2)"])
        #expect(texts("count where name = 'two\nlines'\n") == ["count where name = 'two\nlines'"])
        #expect(texts("show *\ncount(*)\n") == ["show *", "count(*)"])
    }

    @Test func incompleteTextIsLeftOver() {
        let split = StatementSplitter.split("count;\ntop 10 by")
        #expect(split.pieces.map(\.text) == ["count"])
        #expect(split.rest == "top 10 by")
        #expect(!StatementSplitter.isComplete("count where"))
        #expect(!StatementSplitter.isComplete("avg(margin"))
        #expect(StatementSplitter.isComplete("count by tier -- a comment"))
        #expect(StatementSplitter.isComplete("   "))
    }

    @Test func dotCommandsEndWithTheirLine() {
        let pieces = StatementSplitter.split(".format csv\ncount by\ntier\n.tables").pieces
        #expect(pieces.map(\.text) == [".format csv", "count by\ntier", ".tables"])
        #expect(pieces.map(\.isDotCommand) == [true, false, true])
    }

    @Test func positionsAreReported() {
        let pieces = StatementSplitter.split("-- report\n\ncount; avg margin\n  describe").pieces
        #expect(pieces.map { [$0.line, $0.column] } == [[3, 1], [3, 8], [4, 3]])
    }

    @Test func whatIsLeftOpenIsNamedWithItsPlace() {
        #expect(StatementSplitter.unclosed(in: "count where x in (1, (2)\n  and 华东(y") == .init(symbol: "(", line: 1, column: 18))
        #expect(StatementSplitter.unclosed(in: "count (where name = 'it''s\n(") == .init(symbol: "'", line: 1, column: 21))
        #expect(StatementSplitter.unclosed(in: "show `a b") == .init(symbol: "`", line: 1, column: 6))
        #expect(StatementSplitter.unclosed(in: "count; avg(margin)") == nil)
        #expect(StatementSplitter.unclosed(in: "count where") == nil)
    }
}
