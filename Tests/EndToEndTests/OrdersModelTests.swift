import Foundation
import Testing

/// The orders model on exports of order lines, and yes/no and canonical names on customers
/// exports, as a user meets them: the load message, `.orders`, `.map`, a definition of the
/// amount, refusals. Every figure is worked by hand from the files below; the same rules
/// are checked against DuckDB on generated exports by tests/duckdb/check_orders.py.
@Suite(.serialized) struct OrdersModelTests {
    /// Invoice 536365 has two lines (15.30 + 20.34), 536366 one (11.10): 17850 spent 46.74 in
    /// 2 orders. 14527: C536379 is cancelled (-27.50), 536380 bought 9.90, 536381 is a return
    /// line (-4.95): -22.55 in 1 purchase. 12680: 16.60 in 1. One line has no customer.
    static let retail = """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom
        536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom
        536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850.0,United Kingdom
        C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom
        536380,22139,RETROSPOT TEA SET,2,12/1/2010 9:45,4.95,14527.0,United Kingdom
        536381,22139,RETROSPOT TEA SET,-1,12/2/2010 10:00,4.95,14527.0,United Kingdom
        536414,22139,,56,12/1/2010 11:52,0,,United Kingdom
        581587,23256,CHILDRENS CUTLERY,4,12/19/2011 12:50,4.15,12680.0,France

        """

    static func file(_ name: String, _ text: String) -> String {
        let path = NSTemporaryDirectory() + "custq-orders-model-\(getpid())-" + name
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func lineItemsAreOrdersOfLinesWithComputedAmounts() throws {
        let path = Self.file("retail.csv", Self.retail)
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let run = try Run([path, "--format", "csv", "-c", "show customer_id, frequency, monetary, recency_days", "-c", "repeat_purchase_rate"])
        #expect(run.status == 0)
        #expect(run.out == """
            customer_id,frequency,monetary,recency_days
            12680,1,16.6,0
            14527,1,-22.55,383
            17850,2,46.74,383
            repeat_purchase_rate
            33.333333333333336

            """)
        #expect(run.err.contains("\norders: \(table) is read as the orders table; CustomerID is read as customer_id; "
                                 + "order_date is the date of InvoiceDate; 8 lines in 7 orders (InvoiceNo): frequency counts orders, "
                                 + "monetary sums the lines; amount is Quantity × UnitPrice; 1 cancelled order (InvoiceNo starting "
                                 + "with C) and 1 return line (a negative quantity or amount) net off their customers' spend and "
                                 + "are not purchases\n"))
        let orders = try Run([path, "-c", ".orders"])
        #expect(orders.err.hasSuffix("""
            orders are read from \(table): customer_id = CustomerID, order_date = order_date (computed), amount = amount (computed), purchase_id = purchase_id (computed), purchase_date = purchase_date (computed)
              8 lines in 7 orders (InvoiceNo): frequency counts orders, monetary sums the lines
              amount is Quantity × UnitPrice
              1 cancelled order (InvoiceNo starting with C) and 1 return line (a negative quantity or amount) net off their customers' spend and are not purchases
              purchases: orders not cancelled (an id of C and digits) and lines with no negative quantity or amount; frequency, recency, lifecycle and cohorts count purchases, monetary sums every line

            """))
    }

    @Test func aDefinedAmountIsWhatMonetarySums() throws {
        let path = Self.file("retail2.csv", Self.retail)
        let run = try Run([path, "--format", "csv", "-c", "define amount = Quantity * UnitPrice * 2", "-c", "show customer_id, monetary"])
        #expect(run.status == 0)
        #expect(run.out == "customer_id,monetary\n12680,33.2\n14527,-45.1\n17850,93.48\n")
    }

    @Test func aChurnedThatIsNotYesOrNoIsReadByARuleOrRefused() throws {
        let path = Self.file("churn.csv", "customer_id,flag,tier\n1,1,A\n2,0,B\n3,0,A\n4,,B\n")
        let flag = try Run([path, "--format", "csv", "-c", "define churned = flag", "-c", "churn_rate"])
        #expect(flag.out == "churn_rate\n33.333333333333336\n")
        #expect(flag.err.hasSuffix("note: churned read from flag: 1 is yes, 0 is no\n"))
        let tier = try Run([path, "-c", "define churned = tier", "-c", "churn_rate"])
        #expect(tier.status == 1)
        #expect(tier.err.hasSuffix("""
            -c #2: error: churned must say yes or no, but tier holds 'A', 'B'
                 | churn_rate
                 | ^~~~~~~~~~
              note: in the definition of churn_rate
              help: say which values mean yes, e.g. define churned = tier in ('A')

            """))
    }

    @Test func chineseColumnsAreMatchedAndMapCanUndoAMatch() throws {
        let path = Self.file("客户.csv", """
            客户编号,客户名称,所属区域,满意度,是否流失
            1001,张三贸易,华东,5,否
            1002,李四科技,华北,3,是
            1003,王五医疗,华东,4,否

            """)
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let run = try Run([path, "--format", "csv", "-c", "churn_rate, csat by 所属区域", "-c", ".map csat=", "-c", ".map"])
        #expect(run.status == 0)
        #expect(run.out == "所属区域,churn_rate,csat\n华东,0.0,100.0\n华北,100.0,0.0\n")
        #expect(run.err.contains("\n\(table): 客户编号 → customer_id, 客户名称 → name, 所属区域 → region, 满意度 → csat, 是否流失 → churned\n"))
        #expect(run.err.hasSuffix("\(table): 客户编号 → customer_id, 客户名称 → name, 所属区域 → region, 是否流失 → churned\n"))
    }

    @Test func aMetricWithoutItsDataSaysWhatItNeeds() throws {
        let path = Self.file("plain.csv", "id,region\n1,a\n2,b\n")
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let csat = try Run([path, "-c", "csat by region"])
        #expect(csat.status == 1)
        #expect(csat.err.hasSuffix("""
            error: csat needs a responses table, or a csat column in \(table)
                 | csat by region
                 | ^~~~
              note: in the definition of csat
              help: load the data, or name your column that holds csat: .map csat=COLUMN

            """))
        let mean = try Run([path, "-c", "csat_mean"])
        #expect(mean.err.contains("error: csat_mean needs a responses table, or a csat column in \(table)\n"))
        let churn = try Run([path, "-c", "churn_rate"])
        #expect(churn.err.contains("error: churn_rate needs a churned column in \(table), or what frequency needs: an orders table, "
                                   + "or an orders_count column in \(table)\n"))
        #expect(churn.err.hasSuffix("  help: load the data, or name your column that holds churned: .map churned=COLUMN\n"))
        // metrics gives every metric its per column, usable or not.
        let metrics = try Run([path, "--format", "csv", "-c", "metrics"])
        let rows = metrics.out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let per = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { (String($0[1]), String($0[4])) })
        #expect(per["csat"] == "group" && per["churn_rate"] == "group" && per["frequency"] == "customer" && per["monetary"] == "customer")
    }

    @Test func rankedRowsAreNamedByRole() throws {
        // English CRM export: the key and the name by their roles, or First and Last Name.
        let accounts = Self.file("accounts.csv", "Account ID,Account Name,Total Spent\nA-1,Acme,\"$5.00\"\nA-2,Globex,\"$9.00\"\n")
        #expect(try Run([accounts, "--format", "csv", "-c", "top 1 by monetary"]).out == "Account ID,Account Name,monetary\nA-2,Globex,9.0\n")
        let people = Self.file("people.csv", "customer_id,First Name,Last Name,csat\n1,Ann,Lee,5\n2,Bo,Chen,3\n")
        #expect(try Run([people, "--format", "csv", "-c", "bottom 1 by csat"]).out == "customer_id,First Name,Last Name,csat\n2,Bo,Chen,3\n")
    }

    @Test func onlyTheOrdersThatCountWithOrdersWhere() throws {
        // Olist-shaped items: one item per row, its price the amount; canceled and
        // unavailable orders are no orders once .orders says so, and come back without where.
        let path = Self.file("olist.csv", """
            order_id,customer_id,order_status,order_purchase_timestamp,price
            o1,c1,delivered,2018-01-05 10:00:00,10.5
            o2,c1,canceled,2018-02-05 10:00:00,99
            o3,c2,delivered,2018-03-01 09:00:00,20
            o4,c2,unavailable,2018-03-02 09:00:00,5
            o5,c1,delivered,2018-04-01 09:00:00,7

            """)
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let run = try Run([path, "--format", "csv", "-c", "show customer_id, frequency, monetary",
                           "-c", ".orders \(table) where order_status not in (canceled, unavailable)",
                           "-c", "show customer_id, frequency, monetary", "-c", ".orders \(table)", "-c", "sum monetary"])
        #expect(run.status == 0)
        #expect(run.out == """
            customer_id,frequency,monetary
            c1,3,116.5
            c2,2,25.0
            customer_id,frequency,monetary
            c1,2,17.5
            c2,1,20.0
            sum monetary
            141.5

            """)
        #expect(run.err.contains("; price is read as amount (there is no quantity: each row is one item)\n"))
        #expect(run.err.contains("\norders: 3 of 5 rows of \(table) are the orders (where order_status not in (canceled, unavailable)); "
                                 + ".orders \(table) alone brings back all\n"))
        let bad = try Run([path, "-c", ".orders \(table) where price"])
        #expect(bad.status == 1)
        #expect(bad.err.hasSuffix("error: where needs a condition (true or false)\n     | price\n     | ^~~~~\n"))
    }

    @Test func anOrderDateOfTimestampsCountsByItsDates() throws {
        // A column called order_date holding times: the as-of date is still the latest order's.
        let path = Self.file("orders_ts.csv", "order_id,customer_id,order_date,amount\n1,1,2024-03-01 10:00:00,5\n2,1,2024-04-01 00:00:00,7\n3,2,2024-04-02 23:59:59,9\n")
        let run = try Run([path, "--format", "csv", "-c", "show customer_id, recency_days", "-c", "from orders show order_date, order_timestamp limit 1"])
        #expect(run.out == "customer_id,recency_days\n1,1\n2,0\norder_date,order_timestamp\n2024-03-01,2024-03-01 10:00:00\n")
        #expect(run.err.contains("order_date holds times: their dates are order_date, the times order_timestamp"))
        #expect(run.err.contains("note: as of 2024-04-02 (the latest order date)"))
    }

    @Test func anOrderAmountFromAPaymentsTableThroughItsOwnLink() throws {
        // Olist keeps what was paid in a table of payments per order: related to the orders by
        // order_id, not by the customer.
        let directory = NSTemporaryDirectory() + "custq-orders-model-\(getpid())-olist/"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "order_id,customer_id,order_date\no1,c1,2024-01-05\no2,c1,2024-02-01\no3,c2,2024-02-03\n"
            .write(toFile: directory + "orders.csv", atomically: true, encoding: .utf8)
        try "order_id,payment_type,payment_value\no1,card,10.00\no1,voucher,2.50\no2,card,20.00\no3,boleto,7.25\n"
            .write(toFile: directory + "payments.csv", atomically: true, encoding: .utf8)
        let run = try Run([directory + "orders.csv", directory + "payments.csv", "--format", "csv",
                           "-c", ".link orders.order_id = payments.order_id", "-c", "define amount = sum(payments.payment_value)",
                           "-c", "show customer_id, frequency, monetary", "-c", ".link"])
        #expect(run.status == 0)
        #expect(run.out == "customer_id,frequency,monetary\nc1,2,32.5\nc2,1,7.25\n")
        #expect(run.err.contains("orders and payments are related through orders.order_id = payments.order_id\n"))
        #expect(run.err.hasSuffix("tables are related through customer_id\norders and payments through orders.order_id = payments.order_id\n"))
        let wrong = try Run([directory + "orders.csv", directory + "payments.csv", "-c", ".link orders.order_id = payments.nope"])
        #expect(wrong.status == 1)
        #expect(wrong.err.contains("error: payments has no column 'nope'\n"))
    }
    @Test func loadedOrdersThatCannotBeSummedAreAnErrorNotTheCustomerColumns() throws {
        // The orders and their amount are loaded, so monetary is their sum: an amount that is
        // text stops it, rather than monetary quietly becoming annual_revenue * lifetime_years.
        let directory = NSTemporaryDirectory() + "custq-orders-model-\(getpid())-textamount/"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "customer_id,annual_revenue,lifetime_years\n1,100,2\n2,50,1\n"
            .write(toFile: directory + "customers.csv", atomically: true, encoding: .utf8)
        try "order_id,customer_id,order_date,amount\n1,1,2024-01-02,about 5\n2,2,2024-01-03,n/a\n"
            .write(toFile: directory + "orders.csv", atomically: true, encoding: .utf8)
        let run = try Run([directory + "customers.csv", directory + "orders.csv", "-c", "show customer_id, monetary"])
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(run.err.hasSuffix("""
            error: sum needs numbers, but orders.amount is a string
                 | show customer_id, monetary
                 |                   ^~~~~~~~
              note: in the definition of monetary

            """))
        // Without the orders, the customers' own columns are the form that runs.
        let alone = try Run([directory + "customers.csv", "--format", "csv", "-c", "show customer_id, monetary"])
        #expect(alone.out == "customer_id,monetary\n1,200\n2,50\n")
    }

    @Test func aRoleMayBeAnExpressionAndStaysAfterAnotherLoad() throws {
        // sales: the amount is computed from two columns; loading another file keeps the statement.
        let path = Self.file("sales.csv", "cust,day,Qty,Each,Total\n1,2024-01-01,2,2.5,99\n1,2024-02-01,1,4,99\n2,2024-02-03,3,1.5,99\n")
        let other = Self.file("other.csv", "x\n1\n")
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let run = try Run([path, "--format", "csv", "-c", ".orders \(table) customer_id=cust order_date = day amount = Qty * Each",
                           "-c", "show customer_id, monetary", "-c", ".load \(other)", "-c", "sum monetary", "-c", ".orders"])
        #expect(run.status == 0)
        #expect(run.out == "customer_id,monetary\n1,9.0\n2,4.5\nsum monetary\n13.5\n")
        #expect(run.err.contains("\norders: amount is Qty * Each\norders: \(table) is read as the orders table; cust is read as customer_id; "
                                 + "day is read as order_date\n"))
        #expect(run.err.hasSuffix("orders are read from \(table): customer_id = cust, order_date = day, amount = Qty * Each (computed)\n"
                                  + "  purchases: orders not cancelled (an id of C and digits) and lines with no negative quantity or amount; "
                                  + "frequency, recency, lifecycle and cohorts count purchases, monetary sums every line\n"))
        let typo = try Run([path, "-c", ".orders \(table) amont = Qty * Each"])
        #expect(typo.status == 1)
        #expect(typo.err.hasSuffix("error: 'amont' is not a role of the orders: they are customer_id, order_date, amount\n  help: did you mean 'amount'?\n"))
        let unknown = try Run([path, "-c", ".orders \(table) customer_id=cust order_date=day amount = Qty * Eech"])
        #expect(unknown.status == 1)
        #expect(unknown.err.hasSuffix("error: unknown column 'Eech'\n     | Qty * Eech\n     |       ^~~~\n  help: did you mean 'Each'?\n"))
    }

    @Test func aPersonLookedUpInTheCustomersIsTheCustomer() throws {
        // Olist: a customer_id per order, the person in customer_unique_id. p1 ordered twice
        // (o1, o2 under k1 and k2), p3's order o4 is canceled; k6 (p4) never ordered.
        let directory = NSTemporaryDirectory() + "custq-orders-model-\(getpid())-people/"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
            customer_id,customer_unique_id,customer_city,customer_state
            k1,p1,sao paulo,SP
            k2,p1,sao paulo,SP
            k3,p2,rio de janeiro,RJ
            k4,p3,curitiba,PR
            k5,p3,campinas,PR
            k6,p4,recife,PE

            """.write(toFile: directory + "customers.csv", atomically: true, encoding: .utf8)
        try """
            order_id,customer_id,order_status,order_purchase_timestamp
            o1,k1,delivered,2018-01-05 10:00:00
            o2,k2,delivered,2018-02-05 10:00:00
            o3,k3,delivered,2018-03-01 09:00:00
            o4,k4,canceled,2018-03-02 09:00:00
            o5,k5,delivered,2018-04-01 09:00:00

            """.write(toFile: directory + "orders.csv", atomically: true, encoding: .utf8)
        try "order_id,order_item_id,price\no1,1,10.50\no2,1,20.00\no2,2,20.00\no3,1,5.25\no4,1,9.00\no5,1,7.00\n"
            .write(toFile: directory + "order_items.csv", atomically: true, encoding: .utf8)
        let files = ["customers.csv", "orders.csv", "order_items.csv"].map { directory + $0 }
        let statement = ".orders orders customer_id = customers.customer_unique_id amount = sum(order_items.price) "
            + "where order_status not in (canceled, unavailable)"
        let run = try Run(files + ["--format", "csv", "-c", ".link orders.order_id = order_items.order_id", "-c", statement,
                                   "-c", "show customer_id, customer_state, frequency, monetary", "-c", "repeat_purchase_rate",
                                   "-c", "from customer_rows count", "-c", ".orders orders", "-c", "count"])
        #expect(run.status == 0)
        #expect(run.out == """
            customer_id,customer_state,frequency,monetary
            p1,SP,2,50.5
            p2,RJ,1,5.25
            p3,PR,1,7.0
            p4,PE,0,
            repeat_purchase_rate
            33.333333333333336
            count
            6
            count
            6

            """)
        #expect(run.err.contains("""
            orders: 4 of 5 rows of orders are the orders (where order_status not in (canceled, unavailable)); .orders orders alone brings back all
            orders: customer_id is customers.customer_unique_id; amount is sum(order_items.price); its own customer_id is kept as customer_id_as_loaded
            orders: order_date is the date of order_purchase_timestamp
            customers: 4 people by customer_unique_id, from the 6 rows of customers (kept as customer_rows); its customer_id (a key per order's customer) is only in customer_rows; customer_city differs between one person's rows: only in customer_rows
            orders are read from orders: customer_id = customers.customer_unique_id (computed), order_date = order_date (computed), amount = sum(order_items.price) (computed)

            """))
    }

    @Test func orderFieldsOnAnOrdersFirstLineAreReadForAllItsLines() throws {
        // Shopify: the email, status and currency on #1001's first line only; #1002 repeats its email.
        let path = Self.file("shopify.csv", """
            Name,Email,Financial Status,Currency,Total,Created at,Lineitem quantity,Lineitem price
            #1001,ann@example.com,paid,USD,33.50,2024-01-05 10:00:00 -0500,1,10.00
            #1001,,,,,2024-01-05 10:00:00 -0500,2,10.00
            #1002,bo@example.com,refunded,USD,24.00,2024-01-09 08:59:00 -0500,1,12.00
            #1002,bo@example.com,,,,2024-01-09 08:59:00 -0500,1,12.00
            #1003,ann@example.com,paid,USD,22.00,2024-02-01 11:58:00 -0500,2,10.00

            """)
        let table = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let run = try Run([path, "--format", "csv", "-c", "from orders count by `Financial Status`",
                           "-c", ".orders \(table) where `Financial Status` = paid", "-c", "show customer_id, frequency, monetary"])
        #expect(run.status == 0)
        #expect(run.out == """
            Financial Status,count
            paid,3
            refunded,2
            customer_id,frequency,monetary
            ann@example.com,2,55.5

            """)
        #expect(run.err.contains("5 lines in 3 orders (Name): frequency counts orders, Total is given once per order (on its first line), "
                                 + "and monetary sums it; Email, Financial Status, Currency are given on each order's first line only: "
                                 + "read for all of its lines\n"))
        #expect(run.err.contains("\norders: 3 of 5 rows of \(table) are the orders (where `Financial Status` = paid)"))
    }
    @Test func anOrderIdSharedByTwoCustomersCountsForEach() throws {
        // Invoice 7 is on lines of both A and B, and A's lines of it are not together: each
        // customer counts the orders among their own lines once.
        let path = Self.file("shared.csv", """
            InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice
            7,A,2024-01-01,1,2
            8,A,2024-01-02,1,3
            7,B,2024-01-01,2,2
            7,A,2024-01-01,1,2
            9,B,2024-01-05,1,1
            9,B,2024-01-05,1,1

            """)
        let run = try Run([path, "--format", "csv", "-c", "show customer_id, frequency, monetary"])
        #expect(run.status == 0)
        #expect(run.out == "customer_id,frequency,monetary\nA,2,7.0\nB,2,6.0\n")
    }
    @Test func aFailingOrdersStatementChangesNothingAndAStaleOneIsDropped() throws {
        // Olist under its own file names, no person with two rows: the people are still
        // matched by their own key, and a statement that fails leaves them as they were.
        let directory = NSTemporaryDirectory() + "custq-orders-model-\(getpid())-olist-names/"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "customer_id,customer_unique_id,customer_state\nk1,p1,SP\nk2,p2,RJ\nk3,p3,PR\n"
            .write(toFile: directory + "olist_customers_dataset.csv", atomically: true, encoding: .utf8)
        try "order_id,customer_id,order_status,order_purchase_timestamp,price\no1,k1,delivered,2018-01-05 10:00:00,10\no2,k3,canceled,2018-02-05 10:00:00,5\n"
            .write(toFile: directory + "my orders.csv", atomically: true, encoding: .utf8)
        try "x\n1\n".write(toFile: directory + "other.csv", atomically: true, encoding: .utf8)
        let files = [directory + "olist_customers_dataset.csv", directory + "my orders.csv"]
        let statement = ".orders \"my orders\" customer_id = olist_customers_dataset.customer_unique_id where order_status != canceled"
        let run = try Run(files + ["--format", "csv", "--keep-going", "-c", statement, "-c", "show customer_id, frequency",
                                   "-c", ".orders \"my orders\" amount = price * nosuch", "-c", "show customer_id, frequency"])
        #expect(run.out == "customer_id,frequency\np1,1\np2,0\np3,0\ncustomer_id,frequency\np1,1\np2,0\np3,0\n")
        #expect(run.err.contains("\ncustomers: 3 people by customer_unique_id, from the 3 rows of olist_customers_dataset; "
                                 + "its customer_id (a key per order's customer) is only in olist_customers_dataset\n"))
        #expect(run.err.contains("error: unknown column 'nosuch'\n"))
        // Loaded again without order_status, the orders drop the statement and say why.
        try? FileManager.default.createDirectory(atPath: directory + "later", withIntermediateDirectories: true)
        try "order_id,customer_id,order_purchase_timestamp,price\no1,k1,2018-01-05 10:00:00,10\n"
            .write(toFile: directory + "later/my orders.csv", atomically: true, encoding: .utf8)
        let stale = try Run(files + ["-c", statement, "-c", ".load \"\(directory)later/my orders.csv\"", "-c", ".load \(directory)other.csv"])
        #expect(stale.status == 0)
        #expect(stale.err.contains("orders: .orders my orders … no longer applies (unknown column 'order_status'): "
                                   + "the orders are found by their column names again\n"))
    }
}
