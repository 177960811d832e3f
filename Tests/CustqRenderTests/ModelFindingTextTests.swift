import Testing
import CustqResult
@testable import CustqRender

/// What preparing the orders found, worded by Render: counts grouped and in the singular
/// or plural, readings of one line joined as the shell prints them.
@Suite struct ModelFindingTextTests {
    @Test func derivedCustomersSayHowManyAndWhatHasNoKey() {
        let one = ModelFinding.customersDerived(.init(count: 1, key: "CustomerID", orders: "sales", lookalike: nil, unkeyed: 1))
        #expect(ModelFindingText.line(one) == "customers: 1 derived from the CustomerID of sales (no customers table is loaded); "
                + "queries without from run on them; 1 order has no CustomerID and belongs to no customer")
        let many = ModelFinding.customersDerived(.init(count: 4372, key: "CustomerID", orders: "sales",
                                                       lookalike: ("clients", "data/clients.csv"), unkeyed: 135_080))
        #expect(ModelFindingText.line(many) == "customers: 4,372 derived from the CustomerID of sales (no customers table is loaded); "
                + "queries without from run on them; to read clients as the customers, load it as customers "
                + "(.load data/clients.csv as customers); 135,080 orders have no CustomerID and belong to no customer")
    }

    @Test func readingsOfTheOrdersAreOneLine() {
        let finding = ModelFinding.orders([.ordersTable("sales"), .column("InvoiceDate", readAs: "order_date", oneItemPerRow: false),
                                           .column("price", readAs: "amount", oneItemPerRow: true),
                                           .lines(rows: 3, orders: 1, id: "InvoiceNo", amountOncePerOrder: nil),
                                           .cancellations(orders: 1, id: "InvoiceNo", returnLines: 2)])
        #expect(ModelFindingText.line(finding) == "orders: sales is read as the orders table; InvoiceDate is read as order_date; "
                + "price is read as amount (there is no quantity: each row is one item); "
                + "3 lines in 1 order (InvoiceNo): frequency counts orders, monetary sums the lines; "
                + "1 cancelled order (InvoiceNo starting with C) and 2 return lines (a negative quantity or amount) "
                + "net off their customers' spend and are not purchases")
    }

    @Test func peopleSayWhereTheRowsAsLoadedStay() {
        let people = ModelFinding.people(.init(count: 2, key: "customer_unique_id", table: "customers", rows: 3,
                                               rowsKeptAs: "customer_rows", renamed: true, loadedKey: "customer_id",
                                               varying: ["customer_city"], unkeyed: 0))
        #expect(ModelFindingText.line(people) == "customers: 2 people by customer_unique_id, from the 3 rows of customers "
                + "(kept as customer_rows); its customer_id (a key per order's customer) is only in customer_rows; "
                + "customer_city differs between one person's rows: only in customer_rows")
    }
}
