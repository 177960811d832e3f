import Testing
import CustqIngest
@testable import CustqEngine

/// `retention by PERIOD`, `growth by PERIOD`, `concentration by EXPR`, on orders small enough
/// to count by hand.
@Suite struct PeriodTableTests {
    /// Customer 1 buys in January and February, 2 in January and March, 3 in March (and
    /// returns something in February, which is no purchase but nets off February's revenue).
    private func engine() throws -> Engine {
        let engine = Engine()
        try engine.loadPrelude()
        let orders = "order_id,customer_id,order_date,amount\n1,1,2024-01-05,100\n2,2,2024-01-20,50\n3,1,2024-02-10,30\n"
            + "4,3,2024-02-11,-10\n5,2,2024-03-01,40\n6,3,2024-03-31,60\n"
        engine.catalog.add(try DataLoader.load(contents: Array(orders.utf8), path: "orders.csv").table)
        _ = try engine.prepareOrders()
        return engine
    }

    @Test func retentionCountsEachCustomerOncePerPeriod() throws {
        // February: of January's 2 active, customer 1 is retained (50%); March: 2 comes back
        // (reactivated) and 3 is new, none retained from February; contractual is (2 − 1) / 1.
        #expect(try csv(engine(), "retention by month") == """
            month,active,new,retained,reactivated,retention %,churn %,contractual %
            2024-01,2,2,0,0,,,
            2024-02,1,0,1,0,50.0,50.0,50.0
            2024-03,2,1,0,1,0.0,100.0,100.0

            """)
    }

    @Test func growthIsNewCustomersAndRevenueWithReturnsNettedOff() throws {
        #expect(try csv(engine(), "growth by month") == """
            month,new customers,customers,revenue,revenue growth %
            2024-01,2,2,150.0,
            2024-02,0,1,20.0,-86.66666666666667
            2024-03,1,2,100.0,400.0

            """)
        #expect(try csv(engine(), "growth by quarter") == "quarter,new customers,customers,revenue,revenue growth %\n2024-Q1,3,3,270.0,\n")
    }

    @Test func concentrationIsTheShareOfTheLargestCustomers() throws {
        // monetary: 130, 90, 50; the top 1, 5, 10, 20 % are ⌈k × 3 / 100⌉ = 1 customer, 50 % is 2.
        #expect(try csv(engine(), "concentration by monetary") == """
            customers,count,monetary,share %
            top 1%,1,130.0,48.148148148148145
            top 5%,1,130.0,48.148148148148145
            top 10%,1,130.0,48.148148148148145
            top 20%,1,130.0,48.148148148148145
            top 50%,2,220.0,81.48148148148148
            all,3,270.0,100.0

            """)
    }

    @Test func aGroupIsNoPeriod() throws {
        #expect(error(try engine(), "retention by region") == """
            error: retention is by period of the orders: expected month, quarter or year after 'retention by', found region
                 | retention by region
                 |              ^~~~~~
              help: for the rate from a churned column by group, write retention_rate by region

            """)
        #expect(error(try engine(), "growth by") == """
            error: expected month, quarter or year after 'growth by', found the end of the statement
                 | growth by
                 |          ^

            """)
    }

    @Test func concentrationNeedsANumberToRankBy() throws {
        #expect(error(try engine(), "concentration") == """
            error: concentration needs the value to rank customers by
                 | concentration
                 | ^~~~~~~~~~~~~
              help: e.g. concentration by monetary

            """)
        #expect(error(try engine(), "concentration by lifecycle").hasPrefix("error: concentration needs a number per customer, but lifecycle is a string"))
    }
}
