import Testing
@testable import CustqEngine
import CustqLanguage

/// `define NAME(PARAMETER, …) = EXPR`: one formula for every question or column it is given.
@Suite struct FunctionDefinitionTests {
    /// A result's rows without its header.
    private func rows(_ engine: Engine, _ source: String) throws -> String {
        String(try csv(engine, source).split(separator: "\n", maxSplits: 1).last ?? "")
    }

    @Test func aFunctionIsItsFormulaWithTheValueGivenInPlace() throws {
        let engine = try exampleEngine()
        guard case .defined("top2box", true, false) = try engine.run("define top2box(x) = 100.0 * count(x >= 4) / count(x)")[0] else {
            Issue.record("define outcome")
            return
        }
        #expect(try csv(engine, "top2box(csat), top2box(nps_score) by tier")
                == csv(engine, "100.0 * count(csat >= 4) / count(csat) as `top2box(csat)`, "
                       + "100.0 * count(nps_score >= 4) / count(nps_score) as `top2box(nps_score)` by tier"))
        // Per row, with two parameters, and one function using another.
        _ = try engine.run("define scaled(v, k) = v * k")
        _ = try engine.run("define twice(y) = top2box(y) * 2")
        #expect(try rows(engine, "top 3 by scaled(annual_revenue, 2) show annual_revenue")
                == rows(engine, "top 3 by annual_revenue * 2 show annual_revenue"))
        #expect(try csv(engine, "twice(csat) by region") == csv(engine, "200.0 * count(csat >= 4) / count(csat) as `twice(csat)` by region"))
        // A function's value may be the same function again, or be passed on to another.
        _ = try engine.run("define half(v) = v / 2")
        _ = try engine.run("define passed(v) = top2box(v)")
        #expect(try rows(engine, "top 3 by half(half(annual_revenue))") == rows(engine, "top 3 by annual_revenue / 4"))
        #expect(try rows(engine, "passed(nps_score) by tier") == rows(engine, "top2box(nps_score) by tier"))
        // The value given may be a roll-up's column on another table.
        _ = try engine.run("define big(x) = count(x > 500)")
        #expect(try rows(engine, "top 3 by big(orders.amount)") == rows(engine, "top 3 by count(orders.amount > 500)"))
    }

    @Test func theLibrarysSurveyMetricsAreFunctionsOfTheirQuestion() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        #expect(try csv(engine, "nps_of(nps_score), csat_of(csat) by region")
                == csv(engine, "nps as `nps_of(nps_score)`, csat as `csat_of(csat)` by region"))
        let explanation = try engine.explanation(of: "nps_of")
        #expect(explanation.computes == .function(parameters: ["q"], use: "nps_of(nps_score)"))
        #expect(engine.metricSummaries.contains { $0.name == "csat_of(q)" })
    }

    @Test func mistakesWithFunctionsSayWhatToWrite() throws {
        let engine = try exampleEngine()
        _ = try engine.run("define top2box(x) = 100.0 * count(x >= 4) / count(x)")
        #expect(error(engine, "top2box by tier") == """
            error: top2box is a function of x: give it the value to use
                 | top2box by tier
                 | ^~~~~~~
              help: write top2box(x) with the value in place of x

            """)
        #expect(error(engine, "top2box(csat, 2)") == """
            error: top2box takes 1 value (x), found 2
                 | top2box(csat, 2)
                 | ^~~~~~~~~~~~~~~~
              help: write top2box(x)

            """)
        #expect(error(engine, "define bad(x) = x + csta") == """
            error: bad reads 'csta', which is no parameter, column or definition
                 | define bad(x) = x + csta
                 |                     ^~~~
              help: did you mean csat?

            """)
        #expect(error(engine, "define d(x, X) = x") == """
            error: d names the parameter X twice
                 | define d(x, X) = x
                 |             ^
              help: give each parameter its own name, e.g. define d(x, y) = …

            """)
        _ = try engine.run("define per(x) = count(x)")
        #expect(error(engine, "top 3 by per(csat)").hasPrefix("error: count is an aggregate and cannot be used here"))
        #expect(error(engine, "top 3 by per(csat)").contains("note: in the definition of per"))
    }
}
