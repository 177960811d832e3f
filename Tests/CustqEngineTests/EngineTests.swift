import Foundation
import Testing
import TestSupport
import CustqDiagnostics
import CustqIngest
import CustqLanguage
import CustqRender
@testable import CustqEngine

/// An engine with the example customers and orders loaded.
func exampleEngine() throws -> Engine {
    let engine = Engine()
    for file in ["customers.csv", "orders.csv"] {
        engine.catalog.add(try DataLoader.load(path: Repository.example(file)).table)
    }
    return engine
}

/// The CSV of the last statement's result.
func csv(_ engine: Engine, _ source: String) throws -> String {
    guard case .result(let result) = try engine.run(source).last else { return "(no result)" }
    return ResultRenderer.render(result.table, format: .csv)
}

func error(_ engine: Engine, _ source: String) -> String {
    do {
        _ = try engine.run(source)
        return "ran"
    } catch {
        return DiagnosticRenderer.render(error.diagnostic(in: source, file: nil))
    }
}

@Suite struct EngineTests {
    @Test func nullSemantics() throws {
        let engine = try exampleEngine()
        // Comparisons with null are unknown: neither side of the filter matches them.
        let answered = try csv(engine, "count where nps_score >= 0")
        let unanswered = try csv(engine, "count where nps_score is null")
        #expect(answered == "count\n1131\n")
        #expect(unanswered == "count\n869\n")
        #expect(try csv(engine, "count where not (nps_score >= 0)") == "count\n0\n")
        // Aggregates skip nulls; count counts rows.
        #expect(try csv(engine, "count(nps_score) as answers, count as rows") == "answers,rows\n1131,2000\n")
        #expect(try csv(engine, "count where null = null") == "count\n0\n")
    }

    @Test func divisionByZeroIsNull() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "show 1 / 0 as x, 7 % 0 as y where customer_id = 1") == "x,y\n,\n")
        #expect(try csv(engine, "show 7 / 2 as half, 7 % 3 as rest where customer_id = 1") == "half,rest\n3.5,1\n")
    }

    @Test func integerOverflowIsAnErrorAtTheExpressionThatOverflows() throws {
        let engine = try exampleEngine()
        #expect(error(engine, "show customer_id, customer_id * 9000000000000000000 as x") == """
            error: integer overflow: a result does not fit in 64 bits
                 | show customer_id, customer_id * 9000000000000000000 as x
                 |                   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              help: multiply by 1.0 to compute in decimals

            """)
        #expect(error(engine, "count, sum(customer_id * 4000000000000000) as s by tier") == """
            error: integer overflow: a result does not fit in 64 bits
                 | count, sum(customer_id * 4000000000000000) as s by tier
                 |        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              help: multiply by 1.0 to compute in decimals

            """)
    }

    @Test func bareWordsAreTextOnlyAgainstText() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "count where region in (North, 华东) and tier = A") == "count\n130\n")
        #expect(try csv(engine, "count where tier = 'A'") == "count\n418\n")
    }

    @Test func defineMakesColumnsAndMeasures() throws {
        let engine = try exampleEngine()
        guard case .defined("clv", false, false) = try engine.run("define clv = annual_revenue * lifetime_years * margin")[0],
              case .defined("churn", true, false) = try engine.run("define churn = share(churned)")[0],
              case .defined("clv", false, true) = try engine.run("define clv = annual_revenue * lifetime_years * margin * 1")[0] else {
            Issue.record("define outcomes")
            return
        }
        #expect(try csv(engine, "churn by tier") == "tier,churn\nA,0.1507177033492823\nB,0.1370056497175141\nC,0.16132723112128147\n")
        #expect(try csv(engine, "count where clv > 100k") == "count\n55\n")
    }

    @Test func mappingAColumnNameThroughDefine() throws {
        let engine = try exampleEngine()
        let direct = try csv(engine, "avg annual_revenue by tier")
        _ = try engine.run("define yearly_spend = annual_revenue")
        _ = try engine.run("define annual_revenue = yearly_spend * 1")
        #expect(try csv(engine, "avg annual_revenue by tier") == direct)
    }

    @Test func fromAnotherTable() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "from orders count by channel") == "channel,count\nOnline,5052\nPartner,1657\nPhone,1082\nSales Rep,3277\n")
    }

    @Test func groupsAreOrderedByKeysWithNullsLast() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "count by csat") == "csat,count\n1,25\n2,126\n3,269\n4,350\n5,250\n,980\n")
    }

    @Test func topBreaksTiesByKeyAscending() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "top 3 by orders_count") == "customer_id,name,orders_count\n896,\"Pacific Bridge Foods, Inc.\",39\n311,恒信金物流有限公司,31\n1155,\"Vista Lake \"\"Direct\"\" Co.\",31\n")
        #expect(try csv(engine, "top 4 by tier") == "customer_id,name,tier\n2,Silver Forge Labs,C\n3,Atlas Ridge Motors,C\n4,恒信东物流有限公司,C\n8,Red Field Group,C\n")
    }

    @Test func emptySelectionStillAggregates() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "count, avg annual_revenue where tier = Z") == "count,avg annual_revenue\n0,\n")
        #expect(try csv(engine, "count by region where tier = Z") == "region,count\n")
    }

    @Test func diagnostics() throws {
        let engine = try exampleEngine()
        let cases: [(String, String)] = [
            ("top 5 by annual_revenu", """
            error: unknown column 'annual_revenu'
                 | top 5 by annual_revenu
                 |          ^~~~~~~~~~~~~
              help: did you mean 'annual_revenue'?

            """),
            ("count where signup_date > 'abc'", """
            error: cannot compare date signup_date with string 'abc'
                 | count where signup_date > 'abc'
                 |             ^~~~~~~~~~~~~~~~~~~
            
            """),
            ("count where region > 5", """
            error: cannot compare string region with integer 5
                 | count where region > 5
                 |             ^~~~~~~~~~

            """),
            ("count where tier = Zebra and name > 3", """
            error: cannot compare string name with integer 3
                 | count where tier = Zebra and name > 3
                 |                              ^~~~~~~~

            """),
            ("from ordres count", """
            error: no table named 'ordres'
                 | from ordres count
                 |      ^~~~~~
              help: did you mean 'orders'?

            """),
            ("avg(region)", """
            error: avg needs numbers, but region is a string
                 | avg(region)
                 |     ^~~~~~

            """),
            ("count where avg(annual_revenue) > 5", """
            error: avg is an aggregate and cannot be used here
                 | count where avg(annual_revenue) > 5
                 |             ^~~~~~~~~~~~~~~~~~~
              help: aggregates go in the list before by/where, e.g. avg clv by region; to filter groups, query them first

            """),
            ("sum(avg(margin))", """
            error: an aggregate cannot contain another aggregate (avg inside an aggregate)
                 | sum(avg(margin))
                 |     ^~~~~~~~~~~

            """),
            ("annual_revenue by tier", """
            error: 'annual_revenue' is not an aggregate
                 | annual_revenue by tier
                 | ^~~~~~~~~~~~~~
              help: a list before by/where holds aggregates such as count, avg annual_revenue, sum annual_revenue; to list rows use show annual_revenue

            """),
            ("show sqroot(margin)", """
            error: unknown function 'sqroot'
                 | show sqroot(margin)
                 |      ^~~~~~~~~~~~~~
              help: did you mean sqrt?

            """),
            ("show round(margin, 1, 2)", """
            error: round takes 1 to 2 arguments, found 3
                 | show round(margin, 1, 2)
                 |      ^~~~~~~~~~~~~~~~~~~
              help: round: round(x) or round(x, digits)

            """),
            ("count where churned + 1 > 0", """
            error: '+' needs numbers, but churned is a boolean
                 | count where churned + 1 > 0
                 |             ^~~~~~~

            """),
            ("count where margin", """
            error: where needs a condition (true or false), but margin is a decimal
                 | count where margin
                 |             ^~~~~~
              help: compare it with something, e.g. where margin > 0

            """),
            ("count where orders.amount > 5", """
            error: orders has several rows for some customer_id values, so orders.amount is not one value
                 | count where orders.amount > 5
                 |             ^~~~~~~~~~~~~
              help: aggregate them per row: sum(orders.amount), max(orders.amount), count(orders)

            """),
            ("share(margin)", """
            error: share needs a condition (true or false), but margin is a decimal
                 | share(margin)
                 |       ^~~~~~
              help: e.g. share(churned) or share(nps_score >= 9)

            """),
            ("show if(churned, name, 1)", """
            error: if needs values of one type, but name is string and 1 is integer
                 | show if(churned, name, 1)
                 |                  ^~~~~~~

            """),
            ("histogram region", """
            error: histogram needs numbers or dates, but region is a string
                 | histogram region
                 |           ^~~~~~
              help: for text, count by region

            """),
            ("define avg = 1", """
            error: 'avg' is a built-in function and cannot be redefined
                 | define avg = 1
                 |        ^~~

            """),
            ("count < customer_id", """
            error: customer_id is used outside an aggregate in a list of aggregates
                 | count < customer_id
                 | ^~~~~~~~~~~~~~~~~~~
              help: wrap it in one (avg customer_id, max customer_id) or group by it (… by customer_id)

            """),
            ("count where signup_date + signup_date > 0", """
            error: '+' needs numbers, but signup_date is a date
                 | count where signup_date + signup_date > 0
                 |             ^~~~~~~~~~~
              help: subtract dates to get days (a - b), or use days_between(a, b)

            """),
        ]
        for (source, expected) in cases { #expect(error(engine, source) == expected, "\(source)") }
    }

    @Test func rollUpsAggregateRelatedRowsPerCustomer() throws {
        let engine = try exampleEngine()
        // Independent figures, from examples/orders.csv with Python's csv module: customer 896
        // has 39 orders; 77 customers have none.
        #expect(try csv(engine, "show count(orders) as n where customer_id = 896") == "n\n39\n")
        #expect(try csv(engine, "count where count(orders) = 0") == "count\n77\n")
        #expect(try csv(engine, "show sum(orders.amount) as s where count(orders) = 0 limit 1") == "s\n\n")
        #expect(error(engine, "count(orders) by tier") == """
            error: count(orders) is one value per row of customers here, not an aggregate
                 | count(orders) by tier
                 | ^~~~~~~~~~~~~
              help: aggregate it over the groups, e.g. sum(count(orders)) or avg(count(orders))

            """)
        #expect(error(engine, "sum(orders)") == """
            error: sum needs a column of orders, e.g. sum(orders.amount)
                 | sum(orders)
                 |     ^~~~~~

            """)
    }

    @Test func totalIsOverEveryRowWhateverTheFilter() throws {
        let engine = try exampleEngine()
        #expect(try csv(engine, "round(sum(100.0 * margin / total(margin)), 6) as s") == "s\n100.0\n")
        // With a filter the shares of the remaining rows add up to less than 100.
        #expect(try csv(engine, "round(sum(100.0 * margin / total(margin)), 6) < 100 as partial where tier = A") == "partial\ntrue\n")
    }

    @Test func linkChangesTheRelatingColumn() throws {
        let engine = try exampleEngine()
        engine.keyColumn = "order_id"
        #expect(error(engine, "top 2 by sum(orders.amount)") == """
            error: cannot relate orders to customers: both need a order_id column
                 | top 2 by sum(orders.amount)
                 |          ^~~~~~~~~~~~~~~~~~

            """)
    }

    @Test func definitionCyclesAreErrors() throws {
        let engine = try exampleEngine()
        _ = try engine.run("define a = margin")
        _ = try engine.run("define b = a + 1")
        #expect(error(engine, "define a = b * 2") == """
            error: definitions refer to each other in a circle: a → b → a
                 | define a = b * 2
                 |            ^

            """)
    }

    @Test func errorsInsideADefinitionPointAtItsUse() throws {
        let engine = Engine()
        _ = try engine.run("define bad = nothing_here * 2")
        let customers = try exampleEngine().catalog.table(named: "customers")!
        engine.catalog.add(customers)
        #expect(error(engine, "top 3 by bad") == """
            error: unknown column 'nothing_here'
                 | top 3 by bad
                 |          ^~~
              note: in the definition of bad
              help: customers has: customer_id, name, region, city, industry, segment, tier, signup_date, first_purchase_date, last_purchase_date, orders_count, annual_revenue, lifetime_years, margin, acquisition_cost, nps_score, csat, complaints, support_tickets, avg_response_hours, interactions_90d, referrals, churned, bad

            """)
    }
}

/// Random statements built from real column names, functions and keywords run against
/// the example data: each gives a result or a diagnostic, never a crash or a hang.
@Suite struct EngineFuzzTests {
    static let pieces = ["top", "bottom", "3", "by", "where", "show", "count", "avg", "sum", "min", "max", "median",
                         "p90", "distinct", "share", "(", ")", ",", "=", "!=", "<", ">=", "+", "-", "*", "/", "%", "and",
                         "or", "not", "in", "between", "is", "null", "true", "'A'", "A", "华东", "2024-01-01", "1.5",
                         "0", "9000000000000000000", "10k", "20%", "annual_revenue", "margin", "tier", "region",
                         "signup_date", "churned", "nps_score", "customer_id", "name", "clv", "order by", "limit 2",
                         "as x", "desc", "describe", "histogram", "bins 3", "chart", "from orders", "amount",
                         "round(", "coalesce(", "if(", "year(", "days_between(", "abs(", "today()", "define", "k2 =",
                         "ntile(", "ntile(5,", "abc(", "total(", "prefer(", "rfm_segment", "monetary", "frequency",
                         "orders.amount", "count(orders)", "customers.region", "nps", "lifecycle", "r_score"]

    @Test func randomStatementsNeverCrash() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        var state: UInt64 = 99
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var results = 0, errors = 0
        for _ in 0..<3000 {
            let source = (0..<(1 + next(9))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined(separator: " ")
            do {
                _ = try engine.run(source)
                results += 1
            } catch {
                #expect(!error.message.isEmpty)
                errors += 1
            }
        }
        // Some random statements are valid; most are not. Both paths must have run.
        #expect(results > 20)
        #expect(errors > 1000)
    }
}

/// ntile and abc on small hand-made tables, where the SQL semantics can be worked out by hand.
@Suite struct SegmentationFunctionTests {
    func engine(_ csv: String) throws -> Engine {
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(contents: Array(csv.utf8), path: "customers.csv").table)
        return engine
    }

    @Test func ntileWithFewerRowsThanGroups() throws {
        let e = try engine("customer_id,v\n1,10\n2,20\n3,20\n4,30\n")
        #expect(try csv(e, "show customer_id, ntile(5, v) as q order by customer_id") == "customer_id,q\n1,1\n2,2\n3,3\n4,4\n")
    }

    @Test func ntileBreaksTiesByKeyAndGivesFirstGroupsTheExtraRows() throws {
        // 7 rows into 5 groups: sizes 2, 2, 1, 1, 1. Equal values are ordered by customer_id.
        let e = try engine("customer_id,v\n7,5\n6,5\n5,5\n4,1\n3,9\n2,5\n1,0\n")
        #expect(try csv(e, "show customer_id, ntile(5, v) as q order by customer_id") ==
                "customer_id,q\n1,1\n2,2\n3,5\n4,1\n5,2\n6,3\n7,4\n")
    }

    @Test func ntileSkipsRowsWithoutAValue() throws {
        let e = try engine("customer_id,v\n1,3\n2,\n3,1\n")
        #expect(try csv(e, "show customer_id, ntile(2, v) as q order by customer_id") == "customer_id,q\n1,2\n2,\n3,1\n")
    }

    @Test func abcUsesTheCumulativeShareIncludingTheRow() throws {
        // Total 100: 50 (50%) A, 30 (80%) A, 15 (95%) B, 4 (99%) C, 1 (100%) C; zero spend is C too.
        let e = try engine("customer_id,v\n1,15\n2,50\n3,1\n4,30\n5,4\n6,0\n")
        #expect(try csv(e, "show customer_id, abc(v) as class order by customer_id") ==
                "customer_id,class\n1,B\n2,A\n3,C\n4,A\n5,C\n6,C\n")
    }
    @Test func aColumnNameInQuotesComparedWithAValueIsRefused() throws {
        // SQL's "double quotes" name a column; here they make text, and the condition would
        // compare two fixed values. A column compared with its own name in quotes still runs.
        let engine = try exampleEngine()
        #expect(error(engine, "count where \"Region\" = North") == """
            error: 'Region' in quotes is a text value, not the column, so this compares two fixed values
                 | count where "Region" = North
                 |             ^~~~~~~~
              help: to name the column, write `region` in backticks

            """)
        #expect(try csv(engine, "count where region = 'region'") == "count\n0\n")
    }
}
