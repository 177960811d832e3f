import Foundation
import Testing

/// Segmentation on a transaction export alone (issue 6): column roles, derived customers,
/// RFM (NTILE and cut points), ABC limits, lifecycle, cohorts and the as-of date. Every
/// expected figure is worked by hand in the comments from the eight orders below; the same
/// rules are checked against DuckDB SQL on generated data by tests/duckdb/check_segments.py.
@Suite(.serialized) struct SegmentationTests {
    /// Customers 10, 20, 30, 40; order 7 has no customer; the latest order is 2024-06-30.
    static let export = """
        InvoiceNo,InvoiceDate,CustomerID,Total
        1,2024-01-05 10:00:00,30,100.00
        2,2024-02-10 09:30:00,30,50.00
        3,2024-01-20 12:00:00,10,0.00
        4,2024-03-01 08:00:00,20,200.00
        5,2024-04-15 17:45:00,20,25.00
        6,2024-04-30 23:59:00,10,10.00
        7,2024-05-02 11:00:00,,99.00
        8,2024-06-30 10:00:00,40,70.00

        """

    static let path: String = {
        let path = NSTemporaryDirectory() + "custq-segments-\(getpid()).csv"
        try? export.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    func run(_ commands: [String], format: String = "csv") throws -> Run {
        try Run([Self.path, "--format", format] + commands.flatMap { ["-c", $0] })
    }

    @Test func rolesAreFoundAndCustomersDerivedFromTheOrders() throws {
        let run = try run([".orders"])
        #expect(run.status == 0)
        let lines = run.err.split(separator: "\n").dropFirst().map(String.init)
        #expect(lines == [
            "orders: \(URL(fileURLWithPath: Self.path).deletingPathExtension().lastPathComponent) is read as the orders table; "
                + "CustomerID is read as customer_id; order_date is the date of InvoiceDate; Total is read as amount",
            "customers: 4 derived from the CustomerID of \(URL(fileURLWithPath: Self.path).deletingPathExtension().lastPathComponent) "
                + "(no customers table is loaded); queries without from run on them; 1 order has no CustomerID and belongs to no customer",
            "orders are read from \(URL(fileURLWithPath: Self.path).deletingPathExtension().lastPathComponent): "
                + "customer_id = CustomerID, order_date = order_date (computed), amount = Total",
            "  purchases: orders not cancelled (an id of C and digits) and lines with no negative quantity or amount; "
                + "frequency, recency, lifecycle and cohorts count purchases, monetary sums every line",
        ])
    }

    @Test func customerMetricsFromOrdersAlone() throws {
        // Recency to 2024-06-30: 10 → Apr 30 = 61, 20 → Apr 15 = 76, 30 → Feb 10 = 141, 40 → 0.
        // NTILE(5) over 4 customers gives 1–4. R stalest first: 30, 20, 10, 40. F ascending, ties
        // by id: 40 (1 order), then 10, 20, 30 (2 each). M ascending: 10, 40, 30, 20.
        // ABC of 455 spent: 20 = 49.5% A, 30 → 82.4% B, 40 → 97.8% C, 10 → 100% C.
        // Lifecycle: 10 and 20 bought within 90 days, first order earlier: active; 30 last bought
        // 141 days ago: silent; 40's first order is on the as-of date: new.
        let run = try run(["show customer_id, recency_days, frequency, monetary, rfm_cell, rfm_segment, abc_class, lifecycle",
                           "top 2 by monetary"])
        #expect(run.status == 0)
        #expect(run.out == """
            customer_id,recency_days,frequency,monetary,rfm_cell,rfm_segment,abc_class,lifecycle
            10,61,2,10.0,321,About To Sleep,C,active
            20,76,2,225.0,234,At Risk,A,active
            30,141,2,150.0,143,At Risk,B,silent
            40,0,1,70.0,412,Promising,C,new
            customer_id,monetary
            20,225.0
            30,150.0

            """)
        #expect(run.err.contains("note: as of 2024-06-30 (the latest order date)\n"))
    }

    @Test func cutPointScoresLetTiesShareAScore() throws {
        // -recency sorted: -141, -76, -61, 0; cut points at ranks 0.6, 1.2, 1.8, 2.4 (of 0–3):
        // -102, -73, -64, -36.6, so 30 → 1, 20 → 2, 10 → 4, 40 → 5. Orders 1, 2, 2, 2: cuts 1.6,
        // 2, 2, 2 (the three 2s share score 2). Spend 10, 70, 150, 225: cuts 46, 86, 134, 180.
        let run = try run([".scoring cutpoints", "show customer_id, r_score, f_score, m_score", ".scoring ntile",
                           "show customer_id, f_score"])
        #expect(run.status == 0)
        #expect(run.out == """
            customer_id,r_score,f_score,m_score
            10,4,2,1
            20,2,2,5
            30,1,2,4
            40,5,1,2
            customer_id,f_score
            10,2
            20,3
            30,4
            40,1

            """)
        #expect(run.err.contains("RFM scores by value cut points (qcut): equal values share a score\n"))
        #expect(run.err.contains("RFM scores by equal-count groups (ntile, SQL NTILE(5)): ties split by customer_id\n"))
    }

    @Test func abcLimitsAreSettable() throws {
        // With A up to 85% and B up to 99%: 20 (49.5%) and 30 (82.4%) are A, 40 (97.8%) B, 10 C.
        let run = try run(["define abc_a_share = 85", "define abc_b_share = 99", "abc by monetary"])
        #expect(run.status == 0)
        #expect(run.out == """
            class,customers,customers %,value,value %,min value,max value
            A,2,50.0,375.0,82.41758241758242,150.0,225.0
            B,1,25.0,70.0,15.384615384615385,70.0,70.0
            C,1,25.0,10.0,2.197802197802198,10.0,10.0

            """)
        #expect(run.err.contains("note: monetary by customer, largest first (ties by customer_id); A while the cumulative share "
                                 + "of the total is at most 85%, B at most 99%, C the rest (define abc_a_share / abc_b_share to change)\n"))
        let wrong = try self.run(["define abc_a_share = 96", "abc by monetary"])
        #expect(wrong.status == 1)
        #expect(wrong.err.contains("error: abc's A limit (96%) is above its B limit (95%)\n"))
    }

    @Test func cohortByMonth() throws {
        // 10 and 30 start in January (10 buys again in April, 30 in February), 20 in March (and
        // April), 40 in June. Periods after June, the as-of month, are not known yet: blank.
        let run = try run(["cohort"])
        #expect(run.status == 0)
        #expect(run.out == """
            cohort,customers,month 0,month 1,month 2,month 3,month 4,month 5
            2024-01,2,100.0,50.0,0.0,50.0,0.0,0.0
            2024-03,1,100.0,100.0,0.0,0.0,,
            2024-06,1,100.0,,,,,

            """)
        #expect(run.err.hasSuffix("note: as of 2024-06-30 (the latest order date)\n"
                                  + "note: 4 customers by the month of their first order; a cell is the % of its cohort with an order in that month\n"))
        let quarters = try self.run(["cohort by quarter"], format: "json")
        #expect(quarters.out == """
            [
              {"cohort": "2024-Q1", "customers": 3, "quarter 0": 100.0, "quarter 1": 66.66666666666667},
              {"cohort": "2024-Q2", "customers": 1, "quarter 0": 100.0, "quarter 1": null}
            ]

            """)
    }

    @Test func ordersAfterTheAsOfDateAreLeftOutAndCounted() throws {
        // As of 2024-03-31, orders 5, 6 and 8 are later (order 7 has no customer and counts for
        // no one anyway): customer 40 has no order yet, and the others are all new.
        let run = try run([".asof 2024-03-31", "count by lifecycle", "cohort", "abc by monetary"], format: "table")
        #expect(run.status == 0)
        let note = "note: as of 2024-03-31 (set with .asof); 3 orders dated after it are left out\n"
        #expect(run.out.hasPrefix("""
            ┌───────────┬───────┐
            │ lifecycle │ count │
            ├───────────┼───────┤
            │ potential │     1 │
            │ new       │     3 │
            └───────────┴───────┘
            2 rows
            \(note)┌─────────┬───────────┬─────────┬─────────┬─────────┐
            │ cohort  │ customers │ month 0 │ month 1 │ month 2 │
            ├─────────┼───────────┼─────────┼─────────┼─────────┤
            │ 2024-01 │         2 │   100.0 │    50.0 │     0.0 │
            │ 2024-03 │         1 │   100.0 │         │         │
            └─────────┴───────────┴─────────┴─────────┴─────────┘
            2 rows

            """))
        #expect(run.out.contains(note + "note: 3 customers by the month of their first order"))
        // Spend does not read the as-of date, but the orders it sums stop there, and it says so.
        // 20 spent 200 of 350 by then (57%: A); 30's 150 takes the running share to 100%: C.
        #expect(run.out.hasSuffix("""
            │ A     │         1 │       33.33 │ 200.00 │   57.14 │    200.00 │    200.00 │
            │ C     │         2 │       66.67 │ 150.00 │   42.86 │      0.00 │    150.00 │
            └───────┴───────────┴─────────────┴────────┴─────────┴───────────┴───────────┘
            2 rows (3 of 4 customers have a value of monetary)
            \(note)note: monetary by customer, largest first (ties by customer_id); A while the cumulative share of the total is at most 80%, B at most 95%, C the rest (define abc_a_share / abc_b_share to change)

            """))
        #expect(run.err.contains("as of 2024-03-31 (set with .asof); 3 orders dated after it are left out\n"))
    }

    @Test func mistakesAreExplained() throws {
        let week = try run(["cohort by week"])
        #expect(week.status == 1)
        #expect(week.err.contains("""
            error: expected month, quarter or year after 'cohort by', found 'week'
                 | cohort by week
                 |           ^~~~
            """))
        let noOrders = try Run(["examples/customers.csv", "-c", "cohort"])
        #expect(noOrders.err.hasSuffix("""
            error: cohort reads orders, and no orders table is loaded
                 | cohort
                 | ^~~~~~
              help: load one (e.g. .load orders.csv), or name a loaded table with .orders TABLE

            """))
        let badRole = try run([".orders \(URL(fileURLWithPath: Self.path).deletingPathExtension().lastPathComponent) order_date=CustomerID"])
        #expect(badRole.status == 1)
        #expect(badRole.err.contains("cannot be the order_date: it holds integer values, and order_date needs dates\n"))
        let scoring = try run([".scoring deciles"])
        #expect(scoring.status == 1)
        #expect(scoring.err.contains("usage: .scoring [ntile|cutpoints]"))
    }

    @Test func aCustomersExportUnderAnotherNameIsNotTakenForOrders() throws {
        // One row per customer: not orders, whatever the columns are called.
        let path = NSTemporaryDirectory() + "custq-clients-\(getpid()).csv"
        try "customer,date,total\n7,2024-01-02,5\n8,2024-02-03,6\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Run([path, "-c", "count", "--format", "csv"])
        #expect(run.out == "count\n2\n")
        #expect(!run.err.contains("derived"))
    }

    @Test func derivedCustomersAreEachDistinctKeyAscending() throws {
        // Sparse whole-number ids (a hash table, not a bitmap over the range) and text ids.
        for (ids, expected) in [(["5000000000", "3", "5000000000", "7", ""], "customer_id,frequency\n3,1\n7,1\n5000000000,2\n"),
                                (["C-10", "A-2", "C-10", "B-1", "A-2"], "customer_id,frequency\nA-2,2\nB-1,1\nC-10,2\n")] {
            let path = NSTemporaryDirectory() + "custq-keys-\(getpid()).csv"
            let rows = ids.enumerated().map { "\($0.offset),2024-01-0\($0.offset + 1),\($0.element),1.5" }
            try (["order_id,order_date,customer_id,amount"] + rows + [""]).joined(separator: "\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let run = try Run([path, "--format", "csv", "-c", "show customer_id, frequency"])
            #expect(run.out == expected)
        }
    }

    @Test func abcTiesFollowTheKeyAndRefundsKeepTheSequentialRule() throws {
        // 50, 30, 30 of 110: running shares 45.5%, 72.7%, 100%. With A up to 70%, the two 30s
        // split by customer_id (2 before 3) although the file lists 3 first.
        // With a refund (-10): 60, 30, 20, -10 of 100 run 60%, 90%, 110%, 100%: A, B, C, C.
        let path = NSTemporaryDirectory() + "custq-abc-\(getpid()).csv"
        try "customer_id,v,w\n3,30,20\n1,50,60\n2,30,30\n4,,-10\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Run([path, "--format", "csv", "-c", "show customer_id, abc(v, 70, 95) as by_v, abc(w) as by_w order by customer_id"])
        #expect(run.out == "customer_id,by_v,by_w\n1,A,A\n2,B,B\n3,C,C\n4,,C\n")
    }
    @Test func segmentTablesTakeOrderByAndLimit() throws {
        // Each arranged table is the full table's rows, sorted and cut as the clauses say.
        let examples = ["examples/customers.csv", "examples/orders.csv"].map { Run.root + "/" + $0 }
        func rows(_ statement: String) throws -> [String] {
            let run = try Run(examples + ["--format", "csv", "-c", statement])
            #expect(run.status == 0, "\(statement): \(run.err)")
            return run.out.split(separator: "\n").map(String.init)
        }
        let rfm = try rows("rfm")
        #expect(try rows("rfm limit 3") == Array(rfm.prefix(4)))
        let byCustomers = rfm.dropFirst().sorted { Int($0.split(separator: ",")[1])! > Int($1.split(separator: ",")[1])! }
        #expect(try rows("rfm order by customers desc limit 2") == [rfm[0]] + byCustomers.prefix(2))
        let abc = try rows("abc by monetary")
        #expect(try rows("abc by monetary order by class desc limit 1") == [abc[0], abc[3]])
        #expect(abc[3].hasPrefix("C,"))
        let from = try Run(examples + ["-c", "from orders rfm"])
        #expect(from.status == 1)
        #expect(from.err.hasSuffix("""
            error: rfm scores the customers (from their orders), so it takes no from TABLE
                 | from orders rfm
                 | ^~~~~~~~~~~~~~~
              help: write rfm [by GROUP] [where CONDITION] [order by …] [limit N]

            """))
    }
}
