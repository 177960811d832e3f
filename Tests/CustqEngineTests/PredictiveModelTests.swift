import Testing
import CustqIngest
import CustqModels
import CustqStore
import CustqRender
import CustqResult
@testable import CustqEngine

/// `clv fit`: the customer summary it reads from the orders, its refusals, and `clv`.
@Suite struct PredictiveModelTests {
    /// Customer 1 buys twice on 2024-01-01 (one purchase day), then on the 8th and 15th;
    /// customer 2 once; customer 3 only after the as-of date; a row has no customer.
    static let orders = """
        order_id,customer_id,order_date,amount
        1,1,2024-01-01,10
        2,1,2024-01-01,5
        3,1,2024-01-08,20
        4,1,2024-01-15,30
        5,2,2024-01-04,7.5
        6,3,2024-02-20,99
        7,,2024-01-09,1
        8,4,2024-01-02,40
        9,4,2024-01-30,60

        """

    func engine() throws -> Engine {
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(contents: Array(Self.orders.utf8), path: "orders.csv").table)
        _ = try engine.prepareOrders()
        engine.asOf = Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 29))
        return engine
    }

    @Test func theSummaryMergesSameDayOrdersAndLeavesOutTheFirstPurchasesSpend() throws {
        let engine = try engine()
        _ = try engine.run("clv fit by day")
        #expect(try csv(engine, "from clv_summary show *") == """
            customer_id,x,t_x,T,m,first_purchase,last_purchase
            1,2,14.0,28.0,25.0,2024-01-01,2024-01-15
            2,0,0.0,25.0,,2024-01-04,2024-01-04
            4,0,0.0,27.0,,2024-01-02,2024-01-02

            """)
        // By week, times are days / 7; the order of the 30th and customer 3's are after the as-of date.
        guard case .result(let result) = try engine.run("clv fit").last else {
            Issue.record("no result")
            return
        }
        #expect(result.table.columnNames == ["model", "parameter", "estimate", "std_error"])
        guard case .purchaseSummary(let customers, let repeats, let unit, _, let late)? = result.notes.first else {
            Issue.record("no summary note")
            return
        }
        #expect(customers == 3 && repeats == 1 && unit == "week" && late == 2)
        #expect(try csv(engine, "from clv_summary show t_x, T where customer_id = 1") == "t_x,T\n2.0,4.0\n")
    }

    @Test func theHoldoutIsTheOrdersAfterTheCalibrationEnd() throws {
        let engine = try engine()
        _ = try engine.run("clv fit by day")
        // Customer 4 bought again on the 30th, the only purchase after the as-of date of a summarised customer.
        let check = try csv(engine, "clv check")
        #expect(check.hasPrefix("calibration_purchases,customers,actual,expected\n0,2,0.5,"))
        // The tracking weeks run from the first purchase, 2024-01-01: week 5 (to 2024-02-04) holds the 30th.
        guard case .result(let track) = try engine.run("clv track").last else {
            Issue.record("no result")
            return
        }
        #expect(track.notes == [.holdoutBegins(day: Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 30)), week: 5)])
        #expect(ResultText.note(track.notes[0])
            == "the holdout begins on 2024-01-30, in week 5: the weeks before it are the calibration period the model was fitted on")
        // With the as-of date at the last order there is no holdout.
        engine.asOf = nil
        _ = try engine.run("clv fit")
        #expect(error(engine, "clv check").hasPrefix("error: there is no holdout: no order is dated after the calibration end 2024-02-20\n"))
    }

    @Test func aFitSaysWhatItCannotTrust() throws {
        let engine = try engine()
        guard case .result(let result) = try engine.run("clv fit").last else {
            Issue.record("no result")
            return
        }
        #expect(result.notes.contains(.modelWarning(.fewCustomers(3))))
        // Orders without an amount: no spend model, said.
        let noAmount = Engine()
        noAmount.catalog.add(try DataLoader.load(contents: Array("customer_id,order_date\n1,2024-01-01\n1,2024-01-05\n2,2024-01-02\n".utf8),
                                                 path: "orders.csv").table)
        _ = try noAmount.prepareOrders()
        guard case .result(let spendless) = try noAmount.run("clv fit").last else {
            Issue.record("no result")
            return
        }
        #expect(spendless.notes.contains(.modelWarning(.noRepeatSpend)))
        #expect(error(noAmount, "show predicted_clv(12)").hasPrefix("error: predicted_clv needs a spend model"))
        // A calibration end after the last order is refused.
        engine.asOf = Int32(CivilDate.dayNumber(year: 2024, month: 3, day: 1))
        #expect(error(engine, "clv fit").hasPrefix(
            "error: the calibration end 2024-03-01 (the as-of date) is after the last order, 2024-02-20: every customer would look silent since then\n"))
    }

    @Test func clvSaysWhatIsMissing() throws {
        let engine = try engine()
        #expect(error(engine, "clv").hasPrefix("error: no model is fitted yet\n"))
        engine.asOf = Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 7))
        #expect(error(engine, "clv fit").hasPrefix(
            "error: clv fit cannot fit a purchase model: no customer bought again after their first purchase day\n"))
        #expect(error(engine, "top 3 by p_alive").hasPrefix("error: p_alive comes from the models clv fit fits, and none is fitted yet\n"))
        #expect(error(engine, "show expected_purchases(4)").hasPrefix("error: expected_purchases needs a fitted model, and none is fitted yet\n"))
        #expect(error(engine, "clv check").hasPrefix("error: clv check compares a fitted model with the holdout, and none is fitted yet\n"))
        #expect(error(engine, "clv track now").hasPrefix("error: clv track takes nothing after it\n"))
        let empty = Engine()
        #expect(error(empty, "clv fit").hasPrefix("error: clv fit reads the orders, and no orders table is loaded\n"))
        #expect(error(empty, "clv fit paretonbd").hasPrefix("error: clv fit fits bgnbd (BG/NBD) or pnbd (Pareto/NBD), not 'paretonbd'\n"))
        #expect(error(empty, "clv something").hasPrefix("error: clv is followed by fit, check or track, or by nothing\n"))
        #expect(error(empty, "clv fit by year").hasPrefix("error: clv fit counts time by day, week or month\n"))
    }
    /// An export listed newest first, with one customer who bought on 2,001 days in a row
    /// (x = 2,000): the summary sorts each customer's orders, and the model's figures for
    /// that customer are numbers, not NaN or a missing value.
    @Test func aCustomerWithTwoThousandRepeatPurchasesHasFiniteFigures() throws {
        let first = CivilDate.dayNumber(year: 2019, month: 1, day: 1)
        var lines = ["order_id,customer_id,order_date,amount"]
        for day in stride(from: first + 2_000, through: first, by: -1) {
            lines.append("\(day),1,\(CivilDate.isoString(ofDay: day)),10")
        }
        for customer in 2...12 {
            for k in 0..<(customer % 4) {
                let day = first + 100 * customer + 37 * k
                lines.append("\(customer * 10_000 + k),\(customer),\(CivilDate.isoString(ofDay: day)),\(5 * customer + k)")
            }
        }
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(contents: Array((lines.joined(separator: "\n") + "\n").utf8), path: "orders.csv").table)
        _ = try engine.prepareOrders()
        _ = try engine.run("clv fit by day")
        #expect(try csv(engine, "from clv_summary show x, t_x, T where customer_id = 1") == "x,t_x,T\n2000,2000.0,2000.0\n")
        let figures = try csv(engine, "show p_alive, expected_purchases(7) where customer_id = 1")
            .split(separator: "\n")[1].split(separator: ",").compactMap { Double($0) }
        #expect(figures.count == 2)
        // Buying every day up to the calibration end: almost surely alive, about one purchase a day.
        #expect(figures.count == 2 && figures[0] > 0.99 && figures[0] <= 1 && figures[1] > 6 && figures[1] < 7.5)
    }
    /// Arguments a prediction cannot take are refused where they are written; a spend model
    /// whose mean spend is infinite refuses predicted_clv rather than filling it with nulls.
    @Test func predictionsRefuseWhatTheyCannotAnswer() throws {
        let engine = try engine()
        _ = try engine.run("clv fit")
        #expect(error(engine, "show predicted_clv(-1)") == """
            error: predicted_clv counts whole months from 1 to 1,200, not -1
                 | show predicted_clv(-1)
                 |                    ^~
              help: e.g. predicted_clv(12) for the next year

            """)
        #expect(error(engine, "show predicted_clv(1500)").hasPrefix("error: predicted_clv counts whole months from 1 to 1,200, not 1500\n"))
        #expect(error(engine, "show predicted_clv(2.5)").hasPrefix("error: predicted_clv counts whole months from 1 to 1,200, not 2.5\n"))
        #expect(error(engine, "show predicted_clv(12, 1.5)").hasPrefix(
            "error: predicted_clv's monthly discount is a fraction from 0 to below 1, not 1.5\n"))
        #expect(error(engine, "show expected_purchases(-4)").hasPrefix("error: expected_purchases looks ahead 0 or more time units, not -4\n"))
        // The example orders: Gamma-Gamma's q is 0.7073 (lifetimes 0.11.3's GammaGammaFitter on
        // the same 1,813 repeat customers gives p 0.581468, q 0.707254, v 2880.27), so no
        // customer has a finite expected spend.
        let examples = try exampleEngine()
        _ = try examples.prepareOrders()
        guard case .result(let fit) = try examples.run("clv fit").last else {
            Issue.record("no result")
            return
        }
        // On the example orders a and b run off together (as lifetimes also finds on the generated
        // 1M-customer orders: a 396,000, b 7,300,000 when it gives up): one common dropout probability.
        let common = fit.notes.compactMap { note -> Double? in
            guard case .modelWarning(.commonDropout(let a, let b)) = note else { return nil }
            return a / (a + b)
        }
        #expect(common.count == 1 && abs(common[0] - 0.0542) < 0.00005)
        #expect(error(examples, "top 5 by predicted_clv(12)") == """
            error: predicted_clv needs an expected spend, and the fitted Gamma-Gamma has q = 0.7073 (≤ 1): its mean spend is infinite
                 | top 5 by predicted_clv(12)
                 |          ^~~~~~~~~~~~~~~~~
              help: q ≤ 1 says customers' mean spends have too heavy a tail for Gamma-Gamma; clv, the historical value, needs no model

            """)
    }
}

/// The model columns share their rows among the cores, each range with its own memo of
/// E[Y(t) | alive]: every row must still be its own customer's closed form.
@Suite struct ModelFunctionRowTests {
    @Test func predictionsOnManyRowsAreEachCustomersClosedForm() throws {
        let n = 3 * RowRanges.rowsPerThread + 11
        // Customers sharing (x, T) (the memo's key) with different t_x, and a null t_x.
        let x = (0..<n).map { Double($0 % 9) }, T = (0..<n).map { Double(20 + $0 % 13) }
        let tx = (0..<n).map { i in x[i] == 0 ? 0 : T[i] * Double(i % 7) / 7 }
        var txNulls = [Bool](repeating: false, count: n)
        txNulls[n / 2] = true
        func column(_ values: [Double], nulls: [Bool]? = nil) -> Vector { Vector(storage: .decimal(values), nulls: nulls) }
        func constant(_ value: Double) -> Vector { column([Double](repeating: value, count: n)) }
        let model = BGNBD(r: 0.25, alpha: 4.4, a: 0.8, b: 2.4)
        let parameters = [0.25, 4.4, 0.8, 2.4].map(constant)
        let context = Functions.Context(type: .decimal, count: n, today: 0)
        let alive = try ModelFunctions.pAlive(ModelFunctions.bgnbd)([column(x), column(tx, nulls: txNulls), column(T)] + parameters, context)
        let purchases = try ModelFunctions.expectedPurchases(ModelFunctions.bgnbd)(
            [constant(52), column(x), column(tx, nulls: txNulls), column(T)] + parameters, context)
        guard case .decimal(let p) = alive.storage, case .decimal(let e) = purchases.storage else {
            Issue.record("decimal columns")
            return
        }
        var differing = 0
        for i in 0..<n where i != n / 2 {
            if p[i] != model.probabilityAlive(x: x[i], tx: tx[i], T: T[i]) { differing += 1 }
            if e[i] != model.expectedPurchases(in: 52, x: x[i], tx: tx[i], T: T[i]) { differing += 1 }
        }
        #expect(differing == 0)
        #expect(alive.isNull(n / 2) && purchases.isNull(n / 2))
        #expect((0..<n).count { alive.isNull($0) } == 1)
    }
}
