import Testing
import CustqIngest
import TestSupport
@testable import CustqEngine

/// A query is bound whole, into a plan that holds no rows, before any row is read.
@Suite struct BoundQueryTests {
    @Test func aMistakeAnywhereInAStatementIsFoundBeforeAnyRowIsRead() throws {
        let engine = try exampleEngine()
        // The filter overflows when it runs; the unknown column is found first, as binding
        // the whole statement comes before running any of it.
        let overflowing = "orders_count * 1000000 * 1000000 * 1000000 * 1000000"
        #expect(error(engine, "show nosuch where \(overflowing) > 0").hasPrefix("error: unknown column 'nosuch'\n"))
        #expect(error(engine, "show \(overflowing), nosuch").hasPrefix("error: unknown column 'nosuch'\n"))
        #expect(error(engine, "top 3 by \(overflowing) show nosuch").hasPrefix("error: unknown column 'nosuch'\n"))
        #expect(error(engine, "avg \(overflowing), sum(nosuch)").hasPrefix("error: unknown column 'nosuch'\n"))
        // With no mistake, the overflow is the error.
        #expect(error(engine, "show \(overflowing)").hasPrefix("error: integer overflow: a result does not fit in 64 bits\n"))
    }

    @Test func anAggregateQueryIsAFilterGroupsAggregatesAndItems() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        let plan = try engine.plan("avg clv by region where tier = A")
        #expect(plan.filter != nil)
        guard case .aggregate(let summary) = plan.form else {
            Issue.record("not an aggregate plan")
            return
        }
        #expect(summary.groups.map(\.name) == ["region"])
        #expect(summary.items.map(\.name) == ["avg clv"])
        #expect(summary.aggregates.map(\.kind) == [.avg])
        guard case .column(let index, .string) = summary.groups[0].expr else {
            Issue.record("region is not a text column reference")
            return
        }
        #expect(engine.defaultTable?.columns[index].name == "region")
        #expect(summary.order.isEmpty && summary.limit == nil)
    }

    @Test func rfmHonoursItsLimitAndTopIsARanking() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        guard case .result(let result) = try engine.run("rfm limit 3").last else {
            Issue.record("no result")
            return
        }
        #expect(result.table.rowCount == 3)
        let plan = try engine.plan("top 5 by clv show region")
        guard case .top(let ranking) = plan.form else {
            Issue.record("not a ranking")
            return
        }
        #expect(ranking.count == 5 && ranking.descending && ranking.key.name == "clv" && ranking.extra.map(\.name) == ["region"])
    }

    @Test func rfmAndAbcArePlannedAsTheAggregateListsTheyStandFor() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        let rfm = try engine.plan("rfm by tier where region = North limit 2")
        guard case .aggregate(let summary) = rfm.form, case .rfm(filtered: true)? = rfm.segments?.form else {
            Issue.record("rfm is not planned as a segment table")
            return
        }
        #expect(summary.groups.map(\.name) == ["tier", "rfm_segment"])
        #expect(summary.items.map(\.name) == ["customers", "customers %", "orders", "revenue", "revenue %",
                                               "avg recency_days", "avg frequency", "avg monetary"])
        #expect(summary.limit == 2)
        let abc = try engine.plan("abc by annual_revenue order by class desc limit 1")
        guard case .aggregate(let classes) = abc.form,
              case .abc(let value, _, let aShare, let bShare, filtered: false)? = abc.segments?.form else {
            Issue.record("abc is not planned as a segment table")
            return
        }
        #expect(value == "annual_revenue" && aShare == "80" && bShare == "95")
        #expect(classes.order.count == 1 && classes.order[0].descending && classes.limit == 1)
        // A mistake in the user's words is found while binding, where they wrote it.
        #expect(error(engine, "abc by nosuch").hasPrefix("error: unknown column 'nosuch'\n"))
    }

    @Test func describeHistogramAndCohortArePlanSteps() throws {
        let engine = try exampleEngine()
        guard case .describe(let targets) = try engine.plan("describe annual_revenue, region").form else {
            Issue.record("describe is not planned")
            return
        }
        #expect(targets.map(\.name) == ["annual_revenue", "region"])
        guard case .histogram(let values, let bins) = try engine.plan("histogram annual_revenue bins 4").form else {
            Issue.record("histogram is not planned")
            return
        }
        #expect(values.name == "annual_revenue" && bins == 4)
        // A histogram's own mistakes are found before its filter runs.
        let overflowing = "orders_count * 1000000 * 1000000 * 1000000 * 1000000"
        #expect(error(engine, "histogram region where \(overflowing) > 0")
                    .hasPrefix("error: histogram needs numbers or dates, but region is a string\n"))
        guard case .cohort(let cohorting) = try engine.plan("cohort by quarter").form, let orders = engine.catalog.table(named: "orders") else {
            Issue.record("cohort is not planned")
            return
        }
        #expect(cohorting.period == .quarter)
        #expect(orders.columns[cohorting.key].name == "customer_id")
        #expect(["purchase_date", "order_date"].contains(orders.columns[cohorting.date].name))
    }
}

/// A metric whose forms all lack data says what each needs, through the metrics it reads.
@Suite struct MetricNeedsTests {
    @Test func eachLevelOfAMetricThatCannotRunSaysWhatItNeeds() throws {
        let engine = Engine()
        try engine.loadPrelude()
        engine.catalog.add(try DataLoader.load(path: Repository.example("responses.json")).table)
        #expect(error(engine, "retention_rate").hasPrefix("""
            error: retention_rate needs a churned column in responses, or what churn_rate needs: a churned column in \
            responses, or what frequency needs: an orders table, or an orders_count column in responses

            """))
    }
}
