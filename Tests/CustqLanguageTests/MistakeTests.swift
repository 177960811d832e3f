import CustqDiagnostics
import CustqLanguage
import Testing

/// The parser's messages for the mistakes people make: each points at the offending
/// token and says what to write instead (issue 11).
@Suite struct MistakeTests {
    func error(_ source: String) -> String { parseError(source) }

    @Test func strayWordsAfterAStatementAreNamed() {
        #expect(error("show name limt 3") == """
            error: unexpected 'limt'
                 | show name limt 3
                 |           ^~~~
              help: did you mean 'limit'?

            """)
        #expect(error("count by tier wher region = North") == """
            error: unexpected 'wher'
                 | count by tier wher region = North
                 |               ^~~~
              help: did you mean 'where'?

            """)
        #expect(error("count by tier ordr by tier") == """
            error: unexpected 'ordr'
                 | count by tier ordr by tier
                 |               ^~~~
              help: did you mean 'order'?

            """)
        // A statement word is never suggested as a fix for itself.
        #expect(!error("show name limt 3").contains("did you mean 'show'"))
        #expect(error("show name region") == """
            error: unexpected 'region' after 'name'
                 | show name region
                 |           ^~~~~~
              help: separate items with a comma: name, region

            """)
    }

    @Test func aMistypedKeywordReadAsAColumnIsFound() {
        #expect(error("count bye tier") == """
            error: unexpected 'bye' after 'count'
                 | count bye tier
                 |       ^~~
              help: did you mean 'by'?

            """)
        #expect(error("top 5 bi clv") == """
            error: expected 'by' after 'top 5', found 'bi'
                 | top 5 bi clv
                 |       ^~
              help: did you mean 'by'?

            """)
        #expect(error("tops 10 by clv") == """
            error: a statement cannot start with 'tops'
                 | tops 10 by clv
                 | ^~~~
              help: did you mean 'top'?

            """)
    }

    @Test func numbersSymbolsAndFromInTheWrongPlace() {
        #expect(error("show name 3") == """
            error: unexpected number 3
                 | show name 3
                 |           ^
              help: to keep the first 3 rows, write limit 3

            """)
        #expect(error("show * from orders") == """
            error: 'from' goes before the query, not after it
                 | show * from orders
                 |        ^~~~
              help: from TABLE goes first: from orders show *

            """)
        #expect(error("chart sum amount by year(order_date) from orders") == """
            error: 'from' goes before the query, not after it
                 | chart sum amount by year(order_date) from orders
                 |                                      ^~~~
              help: from TABLE goes first: from orders chart sum amount by year(order_date)

            """)
        #expect(error("describe *") == """
            error: describe takes column names, not *
                 | describe *
                 |          ^
              help: describe alone describes every column; describe a, b describes some

            """)
        #expect(error("top 5 by csat > 1 > 2") == """
            error: a comparison cannot follow another comparison
                 | top 5 by csat > 1 > 2
                 |                   ^
              help: combine comparisons with and, e.g. csat > 1 and csat < 5

            """)
        #expect(error("show 5.") == """
            error: unexpected '.'
                 | show 5.
                 |       ^
              help: a decimal number has digits after the point (5.0); a column of another table is table.column

            """)
        #expect(error("define x = 1 where 1") == """
            error: 'where' does not go with define: a definition ends with its expression
                 | define x = 1 where 1
                 |              ^~~~~
              help: use the name in a query instead, e.g. count where NAME

            """)
    }

    @Test func formsThatNeedSomethingSaySo() {
        #expect(error("histogram") == """
            error: histogram needs a column (or expression) to count
                 | histogram
                 |          ^
              help: e.g. histogram annual_revenue, or histogram nps_score bins 5

            """)
        #expect(error("chart") == """
            error: chart needs an aggregate to draw per group
                 | chart
                 |      ^
              help: e.g. chart avg annual_revenue by region

            """)
        #expect(error("show") == """
            error: show needs the columns to list, or *
                 | show
                 |     ^
              help: e.g. show name, region where tier = A, or show * limit 10

            """)
    }

    @Test func sqlIsAnsweredWithTheStatementInCustq() {
        #expect(error("select * from customers") == """
            error: custq is not SQL: a query says what to show or compute, without select
                 | select * from customers
                 | ^~~~~~
              help: in custq: from customers show *

            """)
        #expect(error("select count(*) from customers").hasSuffix("  help: in custq: from customers count\n"))
        #expect(error("SELECT region, count(*), avg(clv) FROM customers WHERE tier = 'A' GROUP BY region ORDER BY region")
                    .hasSuffix("  help: in custq: from customers count, avg(clv) by region where tier = 'A' order by region\n"))
        #expect(error("select name from customers order by name limit 5")
                    .hasSuffix("  help: in custq: from customers show name order by name limit 5\n"))
        #expect(error("delete from customers").hasPrefix("error: custq is not SQL, and it only reads data: 'delete' has no meaning here\n"))
    }

    @Test func shellWordsAreStatements() throws {
        #expect(try Parser.parse("exit").map(\.kind) == [.quit])
        #expect(try Parser.parse("quit;").map(\.kind) == [.quit])
        #expect(try Parser.parse("help").map(\.kind) == [.help(topic: nil)])
        #expect(try Parser.parse("help rfm").map(\.kind) == [.help(topic: "rfm")])
        guard case .undefine("clv", _) = try Parser.parse("undefine clv")[0].kind else {
            Issue.record("undefine clv is a statement")
            return
        }
    }

    @Test func definitionsNameTheirLevels() throws {
        guard case .define(_, _, _, let about, _) = try Parser.parse("define stage = 'a' levels 'new, old'")[0].kind else {
            Issue.record("a definition")
            return
        }
        #expect(about.levels == ["new", "old"])
    }

    @Test func namesInBackticksAreShownWithoutThem() throws {
        let source = "sum `annual revenue`, count(name = 'a`b')"
        #expect(DisplayText.of(SourceRange(0, 20), in: source) == "sum annual revenue")
        #expect(DisplayText.of(SourceRange(22, source.utf8.count), in: source) == "count(name = 'a`b')")
    }
}
