import Testing
import TestSupport
import CustqIngest
import CustqStore
@testable import CustqEngine

/// The SQL written for a query pins custq's semantics in each dialect's own words
/// (tests/sql/check_sql.py runs it on the engines; these pin the text itself).
@Suite struct SQLWriterTests {
    private func sql(_ source: String, _ dialect: SQLDialect) throws -> String {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        return try engine.sql(source, dialect: dialect).joined(separator: ";\n")
    }

    @Test func purchasesLeaveOutCancelledOrdersAndReturnLinesAsCustqDoes() throws {
        // Online Retail's shape: lines of an invoice, a cancellation (C…), a return line.
        let engine = Engine()
        let lines = "Invoice,customer_id,order_date,Quantity,UnitPrice\n536365,1,2024-01-01,6,2.55\n536365,1,2024-01-01,2,3.00\n"
            + "C536379,1,2024-01-02,-1,2.55\n536380,2,2024-01-03,-2,4.00\n"
        engine.catalog.add(try DataLoader.load(contents: Array(lines.utf8), path: "lines.csv").table)
        _ = try engine.prepareOrders()
        let excluded = #"coalesce(length("Invoice") > 1 AND upper(substr("Invoice", 1, 1)) = 'C' AND substr("Invoice", 2) ~ '^[0-9]+$', FALSE)"#
            + #" OR coalesce("Quantity" < 0 OR CAST("Quantity" AS DOUBLE PRECISION) * CAST("UnitPrice" AS DOUBLE PRECISION) < 0, FALSE)"#
        #expect(try engine.sql("from orders distinct purchase_id, sum amount, max purchase_date", dialect: .postgres) == ["""
            SELECT count(DISTINCT CASE WHEN \(excluded) THEN NULL ELSE "Invoice" END) AS "distinct purchase_id",
                   sum((CAST("Quantity" AS DOUBLE PRECISION) * CAST("UnitPrice" AS DOUBLE PRECISION))) AS "sum amount",
                   max(CASE WHEN \(excluded) THEN NULL ELSE "order_date" END) AS "max purchase_date"
            FROM "lines"
            """])
    }

    @Test func groupsSortByTheirBytesWithNullsLastInEveryDialect() throws {
        #expect(try sql("count by region", .postgres) == """
            SELECT "region" AS "region",
                   count(*) AS "count"
            FROM "customers"
            GROUP BY 1
            ORDER BY "region" COLLATE "C" ASC NULLS LAST
            """)
        #expect(try sql("count by region", .spark) == """
            SELECT `region` AS `region`,
                   count(*) AS `count`
            FROM `customers`
            GROUP BY 1
            ORDER BY `region` ASC NULLS LAST
            """)
    }

    @Test func divisionIsOfDoublesWithAZeroDivisorGivingNull() throws {
        #expect(try sql("top 3 by annual_revenue / acquisition_cost show tier", .duckdb) == """
            SELECT "customer_id" AS "customer_id",
                   "name" AS "name",
                   ("annual_revenue" / NULLIF("acquisition_cost", 0)) AS "annual_revenue / acquisition_cost",
                   "tier" AS "tier"
            FROM "customers"
            WHERE ("annual_revenue" / NULLIF("acquisition_cost", 0)) IS NOT NULL
            ORDER BY ("annual_revenue" / NULLIF("acquisition_cost", 0)) DESC NULLS LAST, "customer_id" ASC NULLS LAST
            LIMIT 3
            """)
    }

    @Test func textLiteralsAreEscapedAsEachDialectReadsThem() throws {
        #expect(try sql(#"count where name = 'O''Brien\x'"#, .spark).contains(#"WHERE (`name` = 'O\'Brien\\x')"#))
        #expect(try sql(#"count where name = 'O''Brien\x'"#, .postgres).contains(#"WHERE ("name" = 'O''Brien\x')"#))
        #expect(try sql("count where name < 'b'", .postgres).contains(#"("name" COLLATE "C" < 'b')"#))
    }

    @Test func aDefinitionIsExpandedSoDefineChangesTheSQL() throws {
        let before = try sql("avg clv", .duckdb)
        #expect(before.contains(#"avg((("annual_revenue" * "lifetime_years") * "margin"))"#))
        let after = try sql("define clv = annual_revenue * 2;\navg clv", .duckdb)
        #expect(after.contains(#"avg(("annual_revenue" * CAST(2.0 AS DOUBLE)))"#))
    }

    @Test func roundingIsHalfAwayFromZeroWrittenOut() throws {
        #expect(try sql("show round(margin * 10) limit 1", .postgres).contains(
            #"CAST(CASE WHEN ("margin" * CAST(10.0 AS DOUBLE PRECISION)) < 0 THEN -floor(-("margin" * CAST(10.0 AS DOUBLE PRECISION)) + 0.5) ELSE floor(("margin" * CAST(10.0 AS DOUBLE PRECISION)) + 0.5) END AS DOUBLE PRECISION)"#))
    }

    @Test func segmentTablesAreTheAggregateListsTheyStandFor() throws {
        let abc = try sql("abc by annual_revenue", .duckdb)
        #expect(abc.contains(#"SELECT "abc" AS "class","#))
        #expect(abc.hasSuffix("""
            FROM layer1
            WHERE ("annual_revenue" IS NOT NULL)
            GROUP BY 1
            ORDER BY "abc" ASC NULLS LAST
            """))
        // Ordered by an aggregate it does not list: sorted outside the grouping.
        let ordered = try sql("count by tier order by max(annual_revenue) desc", .spark)
        #expect(ordered == """
            SELECT c1 AS `tier`, c2 AS `count`
            FROM (
            SELECT `tier` AS c1,
                   count(*) AS c2,
                   max(`annual_revenue`) AS o1
            FROM `customers`
            GROUP BY 1
            ) AS result
            ORDER BY o1 DESC NULLS LAST, c1 ASC NULLS LAST
            """)
    }

    @Test func whatCannotBeWrittenIsRefusedWithTheReason() throws {
        let engine = try exampleEngine()
        let substr = #expect(throws: EngineError.self) { try engine.sql("show substr(name, referrals)", dialect: .postgres) }
        #expect(substr?.message == "this query cannot be written as PostgreSQL: substr with a start that is not written out is not written as SQL")
        let metrics = #expect(throws: EngineError.self) { try engine.sql("metrics", dialect: .postgres) }
        #expect(metrics?.message == "only queries are written as SQL; this statement runs in custq itself")
    }

    @Test func describeIsARowPerColumnWithTextByItsBytesAndTopValuesByCountThenValue() throws {
        let sql = try sql("describe tier where segment = SMB", .postgres)
        #expect(sql.hasPrefix("""
            WITH described AS (
              SELECT "tier" AS v1
              FROM "customers"
              WHERE ("segment" = 'SMB')
            )
            SELECT "column", "type", "count", "nulls", "distinct", "min", "p25", "median", "p75", "max", "mean", "std", "top values"
            FROM (
            SELECT 1 AS "n",
                   'tier' AS "column",
                   'string' AS "type",
                   count(v1) AS "count",
                   count(*) - count(v1) AS "nulls",
                   count(DISTINCT v1) AS "distinct",
                   min(v1 COLLATE "C") AS "min",
            """))
        #expect(sql.contains(#"row_number() OVER (ORDER BY c DESC, CAST(v1 AS TEXT) COLLATE "C" ASC) AS rn"#))
        #expect(sql.hasSuffix(") AS statistics\nORDER BY n"))
        // Numbers: continuous quartiles, the mean and the sample deviation, all of doubles.
        let numbers = try self.sql("describe margin", .spark)
        for part in ["percentile(CAST(v1 AS DOUBLE), 0.25) AS `p25`", "avg(CAST(v1 AS DOUBLE)) AS `mean`",
                     "stddev_samp(CAST(v1 AS DOUBLE)) AS `std`", "CAST(min(v1) AS STRING) AS `min`"] {
            #expect(numbers.contains(part))
        }
    }

    @Test func cohortIsOneRowPerCohortAndPeriodUpToTheAsOfDate() throws {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        engine.asOf = Int32(CivilDate.dayNumber(isoText: "2024-05-15")!)
        let sql = try engine.sql("cohort by quarter", dialect: .duckdb).joined()
        #expect(sql.contains(#"WHERE "customer_id" IS NOT NULL AND "order_date" IS NOT NULL AND "order_date" <= DATE '2024-05-15'"#))
        #expect(sql.contains("unnest(range(0, latest.p - sizes.p + 1)) AS since"))
        #expect(sql.hasSuffix("""
                   cells.customers AS "customers",
                   cells.since AS "quarter",
                   100.0 * CAST(COALESCE(active.customers, 0) AS DOUBLE) / cells.customers AS "active %"
            FROM cells LEFT JOIN active ON active.p = cells.p AND active.since = cells.since
            ORDER BY cells.p, cells.since
            """))
    }

    @Test func theLoadedTablesAreWrittenAsCreateTable() throws {
        let engine = try exampleEngine()
        #expect(engine.sqlSchema(.spark, tables: ["orders"]) == ["""
            CREATE TABLE `orders` (
              `order_id` BIGINT,
              `customer_id` BIGINT,
              `order_date` DATE,
              `amount` DOUBLE,
              `cost` DOUBLE,
              `channel` STRING
            )
            """])
        #expect(engine.sqlSchema(.postgres).count == 2)
    }

    @Test func dialectsAreNamedAsUsersWriteThem() {
        #expect(SQLDialect(named: "PostgreSQL") == .postgres)
        #expect(SQLDialect(named: "pg") == .postgres)
        #expect(SQLDialect(named: "spark-sql") == .spark)
        #expect(SQLDialect(named: "DuckDB") == .duckdb)
        #expect(SQLDialect(named: "mysql") == nil)
    }
}
