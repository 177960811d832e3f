import Testing
import CustqDiagnostics
@testable import CustqLanguage

@Suite struct LexerTests {
    func kinds(_ source: String) throws -> [Token.Kind] {
        try Lexer(source).tokens().map(\.kind)
    }

    @Test func numbersWithSuffixesAndPercent() throws {
        #expect(try kinds("10k 1.5m 20% 7 2.5e3") == [
            .number(10_000, isInteger: true), .number(1_500_000, isInteger: true), .number(0.2, isInteger: false),
            .number(7, isInteger: true), .number(2500, isInteger: false), .end,
        ])
    }

    @Test func percentWithSpaceIsRemainder() throws {
        #expect(try kinds("10 % 3") == [.number(10, isInteger: true), .symbol("%"), .number(3, isInteger: true), .end])
    }

    @Test func datesStringsNamesAndComments() throws {
        #expect(try kinds("2024-02-29 'it''s' \"x\" `annual revenue` 华东 -- comment\n<>") == [
            .date(19782), .string("it's"), .string("x"), .quotedName("annual revenue"), .word("华东"), .symbol("!="), .end,
        ])
    }

    @Test func badTokens() {
        #expect(throws: LanguageError("'2023-02-29' is not a calendar date", SourceRange(0, 10),
                                      help: "dates are written YYYY-MM-DD, e.g. 2024-01-31")) { try Lexer("2023-02-29").tokens() }
        #expect(throws: LanguageError("unexpected character '$'", SourceRange(4, 5))) { try Lexer("avg $x").tokens() }
        #expect(throws: LanguageError("'12ab' is not a number or a name", SourceRange(0, 4),
                                      help: "names start with a letter; numbers may end in k, m or %")) { try Lexer("12ab").tokens() }
    }
}

@Suite struct ParserTests {
    func query(_ source: String) throws -> Query {
        let statements = try Parser.parse(source)
        guard case .query(let query) = statements.first?.kind else { throw LanguageError("not a query", SourceRange(0, 0)) }
        return query
    }

    @Test func tablesByPeriodAreStatementsOnlyWhereTheyStandAlone() throws {
        #expect(try query("retention by quarter").form == .periods(.retention, .quarter))
        #expect(try query("growth where channel = web").form == .periods(.growth, .month))
        guard case .concentration(let value) = try query("concentration by monetary").form, case .name("monetary", _) = value.kind else {
            Issue.record("concentration by monetary")
            return
        }
        // A column of that name stays a name.
        for source in ["retention + 1, count", "growth * 2, count"] {
            guard case .aggregate = try query(source).form else {
                Issue.record("not an aggregate list: \(source)")
                continue
            }
        }
    }

    @Test func clausesInAnyOrder() throws {
        for source in ["top 10 by clv where tier = A show region", "top 10 by clv show region where tier = A"] {
            let q = try query(source)
            guard case .top(10, _, true) = q.form, case .binary(.equal, _, _) = q.filter?.kind else {
                Issue.record("not top 10 descending with a filter: \(source)")
                return
            }
            #expect(q.extraColumns.count == 1)
        }
    }

    @Test func segmentTablesAreStatementsWithTheirOwnClauses() throws {
        let rfm = try query("rfm by tier where region = North order by customers desc limit 3")
        #expect(rfm.form == .rfm)
        #expect(rfm.groups.count == 1 && rfm.filter != nil && rfm.order.count == 1 && rfm.limit == 3)
        guard case .abc(let value) = try query("abc by monetary * 2 limit 1").form,
              case .binary(.multiply, _, _) = value.kind else {
            Issue.record("abc by an expression is not the abc form")
            return
        }
        // rfm and abc as names or the abc function still read as they always did.
        guard case .aggregate = try query("count by abc(monetary)").form, case .aggregate = try query("abc(monetary)").form else {
            Issue.record("abc( is not a call")
            return
        }
        #expect(throws: LanguageError("'bins' does not go with rfm", SourceRange(4, 8))) { try Parser.parse("rfm bins 3") }
        #expect(throws: LanguageError("'by' does not go with abc", SourceRange(16, 18))) { try Parser.parse("abc by monetary by tier") }
        #expect(throws: LanguageError("abc classes the customers by one value", SourceRange(15, 16),
                                      help: "for classes within groups, count by abc(VALUE), GROUP")) {
            try Parser.parse("abc by monetary, tier")
        }
    }

    @Test func bottomIsAscendingAndDirectionsOverride() throws {
        guard case .top(_, _, false) = try query("bottom 3 by csat").form,
              case .top(_, _, false) = try query("top 3 by signup_date asc").form else {
            Issue.record("wrong direction")
            return
        }
    }

    @Test func prefixAggregateTakesOneTerm() throws {
        let q = try query("sum amount / count by segment")
        guard case .aggregate(let items) = q.form, case .binary(.divide, let left, let right) = items[0].expression.kind,
              case .call("sum", _, false) = left.kind, case .call("count", [], false) = right.kind else {
            Issue.record("expected sum(amount) / count")
            return
        }
        #expect(q.groups.count == 1)
    }

    @Test func precedence() throws {
        let q = try query("count where a = 1 or b = 2 and not c")
        guard case .binary(.or, _, let right) = q.filter?.kind, case .binary(.and, _, let not) = right.kind,
              case .unary(.not, _) = not.kind else {
            Issue.record("and binds tighter than or")
            return
        }
    }

    @Test func statementsSplitBySemicolons() throws {
        #expect(try Parser.parse("count; count by tier;;").count == 2)
    }

    func error(_ source: String) -> String { parseError(source) }

    @Test func errorsPointAtTheProblem() {
        #expect(error("tops 10 by clv") == """
            error: a statement cannot start with 'tops'
                 | tops 10 by clv
                 | ^~~~
              help: did you mean 'top'?

            """)
        #expect(error("top ten by clv") == """
            error: the number of rows after 'top' must be a whole number from 1 to 1,000,000,000, found 'ten'
                 | top ten by clv
                 |     ^~~

            """)
        #expect(error("top 10 clv") == """
            error: expected 'by' after 'top 10', found 'clv'
                 | top 10 clv
                 |        ^~~

            """)
        #expect(error("count where") == """
            error: expected an expression after 'where', found the end of the statement
                 | count where
                 |            ^

            """)
        #expect(error("count where tier = A where region = North") == """
            error: 'where' appears twice in this statement
                 | count where tier = A where region = North
                 |                      ^~~~~
              help: combine conditions with and: where a and b

            """)
        #expect(error("count where (a = 1") == """
            error: expected ')' to close '(', found the end of the statement
                 | count where (a = 1
                 |                   ^

            """)
        #expect(error("show name bins 3") == """
            error: 'bins' does not go with show
                 | show name bins 3
                 |           ^~~~

            """)
        // order by and limit were once accepted and ignored by the forms with an order of their own.
        #expect(error("top 5 by clv limit 2") == """
            error: 'limit' does not go with top/bottom
                 | top 5 by clv limit 2
                 |              ^~~~~
              help: top N by EXPR already orders by EXPR and keeps N rows

            """)
        #expect(error("describe order by clv") == """
            error: 'order by' does not go with describe
                 | describe order by clv
                 |          ^~~~~
              help: describe lists the columns in the table's order

            """)
        #expect(error("cohort by quarter limit 4") == """
            error: 'limit' does not go with cohort
                 | cohort by quarter limit 4
                 |                   ^~~~~
              help: cohort lists cohorts oldest first; where chooses the orders it reads

            """)
        #expect(error("cohort by week") == """
            error: expected month, quarter or year after 'cohort by', found 'week'
                 | cohort by week
                 |           ^~~~

            """)
        #expect(error("count where region in North") == """
            error: expected '(' after 'in', found 'North'
                 | count where region in North
                 |                       ^~~~~

            """)
        #expect(error("count by by") == """
            error: expected an expression after 'by', found keyword 'by'
                 | count by by
                 |          ^~
              help: if by is a column, write it in backticks: `by`

            """)
        #expect(error("count where name = 'abc") == """
            error: this quote is never closed
                 | count where name = 'abc
                 |                    ^
              help: end the text with '; a quote inside is written twice

            """)
    }
}

/// Random and adversarial input never crashes or hangs the lexer and parser.
@Suite struct ParserFuzzTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let pieces = ["top", "bottom", "10", "by", "clv", "where", "tier", "=", "A", "and", "or", "not", "(", ")",
                         ",", "avg", "count", "show", "*", "order", "limit", "in", "between", "is", "null", "'x'",
                         "2024-01-01", "20%", "10k", "-", "+", "/", "%", "`a b`", "华东", "define", "=", "describe",
                         "histogram", "bins", "chart", "from", "orders", ".", ";", "as", "desc", "'", "\"", "`", "$", "\n"]

    func parses(_ source: String) {
        do {
            _ = try Parser.parse(source)
        } catch {
            #expect(!error.message.isEmpty)
            #expect(error.range.start >= 0 && error.range.end <= source.utf8.count + 1)
            #expect(!DiagnosticRenderer.render(error.diagnostic(in: source, file: nil)).isEmpty)
        }
    }

    @Test func deepButAllowedNestingParses() throws {
        let nested = "count where " + String(repeating: "(", count: 150) + "1 = 1" + String(repeating: ")", count: 150)
        #expect(try Parser.parse(nested).count == 1)
    }

    @Test func tokenSoup() {
        var random = Random(state: 11)
        for _ in 0..<5000 {
            let source = (0..<random.below(14)).map { _ in Self.pieces[random.below(Self.pieces.count)] }.joined(separator: " ")
            parses(source)
        }
    }

    @Test func randomBytes() {
        var random = Random(state: 12)
        for _ in 0..<3000 {
            let bytes = (0..<random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            parses(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "count where " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        #expect(throws: LanguageError.self) { try Parser.parse(deep) }
        let negations = "count where " + String(repeating: "not ", count: 50_000) + "churned"
        #expect(throws: LanguageError.self) { try Parser.parse(negations) }
        let minus = "avg " + String(repeating: "- ", count: 50_000) + "1"
        #expect(throws: LanguageError.self) { try Parser.parse(minus) }
    }
}

/// `metrics` and `explain NAME` are statements of the grammar like the others.
@Suite struct TeachingStatementTests {
    @Test func metricsAndExplainParse() throws {
        #expect(try Parser.parse("metrics").map(\.kind) == [.metrics])
        #expect(try Parser.parse("explain nps; EXPLAIN `churn rate`").map(\.kind) == [
            .explain(name: "nps", nameRange: SourceRange(8, 11)),
            .explain(name: "churn rate", nameRange: SourceRange(21, 33)),
        ])
    }

    @Test func explainTakesOneNameAndSaysWhereTheRestIs() {
        #expect(parseError("explain") == """
            error: explain takes one metric name
                 | explain
                 | ^~~~~~~
              help: e.g. explain nps; metrics lists them

            """)
        #expect(parseError("explain nps by region") == """
            error: explain takes one metric name
                 | explain nps by region
                 |             ^~~~~~~~~
              help: e.g. explain nps; metrics lists them

            """)
    }
}
