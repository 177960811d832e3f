import Testing
import TestSupport
@testable import CustqEngine

/// The SQL written for a query pins custq's semantics in each dialect's own words
/// (tests/sql/check_sql.py runs it on the engines; these pin the text itself).
@Suite struct SQLWriterTests {
    private func sql(_ source: String, _ dialect: SQLDialect) throws -> String {
        let engine = try exampleEngine()
        try engine.loadPrelude()
        return try engine.sql(source, dialect: dialect).joined(separator: ";\n")
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
        let describe = #expect(throws: EngineError.self) { try engine.sql("describe", dialect: .postgres) }
        #expect(describe?.message == "this query cannot be written as PostgreSQL: describe is not written as SQL yet")
        let metrics = #expect(throws: EngineError.self) { try engine.sql("metrics", dialect: .postgres) }
        #expect(metrics?.message == "only queries are written as SQL; this statement runs in custq itself")
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
