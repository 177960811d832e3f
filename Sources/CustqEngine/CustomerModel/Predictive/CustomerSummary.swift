import CustqLanguage
import CustqStore

/// Each customer's purchase history as the predictive models read it (CLV.md): repeat
/// purchases x (distinct purchase days after the first: same-day orders are one purchase),
/// t_x (first to last purchase), T (first purchase to the calibration end) in the model's
/// time unit, and m, the mean value of the repeat purchases (a day's orders summed).
/// Orders without a customer or a date are left out; orders after the calibration end are
/// the holdout: counted per customer (distinct days), for `clv check`.
struct CustomerSummary {
    /// The customer key of each customer summarised, in the order of first appearance.
    var keys: Column
    var x: [Double] = [], tx: [Double] = [], T: [Double] = []
    /// Nil for a customer with no repeat purchase, or when the orders have no amount.
    var m: [Double?] = []
    var first: [Int32] = [], last: [Int32] = []
    /// Orders dated after the calibration end.
    var ordersLeftOut = 0
    /// Each customer's purchase days after the calibration end (the holdout).
    var holdout: [Double] = []
    /// The day of each repeat purchase of the customers summarised, calibration and holdout
    /// (a day once per customer), in no order: `clv track` counts them by week.
    var repeatPurchaseDays: [Int32] = []
    var repeatCustomers: Int { x.count { $0 > 0 } }

    /// The summary of the orders' `key` and `date` columns, with each order's `amount`
    /// when there is one, up to `calibrationEnd`, in units of `unitDays` days.
    init(key: Column, date: Column, amount: [Double]?, calibrationEnd: Int32, unitDays: Double) {
        guard case .date(let days) = date.values else { preconditionFailure("a date column") }
        let keyValues = Evaluator.keyVector(key)
        keys = key
        let grouping = Grouping(keys: [.vector(keyValues)], rows: key.count)
        // The counted orders by customer (a counting sort, customers in order of first
        // appearance), then each customer's few orders by day.
        // Each order's customer, or −1 for an order without a customer or a date (not counted).
        var customerOf = grouping.groupOf
        if key.validity.hasNulls || date.validity.hasNulls {
            for row in 0..<key.count where key.isNull(row) || date.isNull(row) { customerOf[row] = -1 }
        }
        let customers = grouping.count
        var representatives: [Int] = []
        days.withUnsafeBufferPointer { days in
            var starts = [Int](repeating: 0, count: customers + 1)
            for (row, customer) in customerOf.enumerated() where customer >= 0 {
                if days[row] > calibrationEnd { ordersLeftOut += 1 }
                starts[Int(customer) + 1] += 1
            }
            for customer in 0..<customers { starts[customer + 1] += starts[customer] }
            var rows = [Int](repeating: 0, count: starts[customers])
            rows.withUnsafeMutableBufferPointer { rows in
                var next = starts
                for (row, customer) in customerOf.enumerated() where customer >= 0 {
                    rows[next[Int(customer)]] = row
                    next[Int(customer)] += 1
                }
                for customer in 0..<customers {
                    // Insertion sort for the usual handful of orders; a library sort for a customer
                    // with many (an export newest first would make insertion quadratic).
                    guard starts[customer + 1] - starts[customer] <= 32 else {
                        rows[starts[customer]..<starts[customer + 1]].sort { days[$0] < days[$1] || (days[$0] == days[$1] && $0 < $1) }
                        continue
                    }
                    for i in (starts[customer] + 1)..<max(starts[customer] + 1, starts[customer + 1]) {
                        let row = rows[i], day = days[row]
                        var j = i
                        while j > starts[customer], days[rows[j - 1]] > day {
                            rows[j] = rows[j - 1]
                            j -= 1
                        }
                        rows[j] = row
                    }
                }
                for customer in 0..<customers where starts[customer] < starts[customer + 1] {
                    let orders = UnsafeBufferPointer(rebasing: rows[starts[customer]..<starts[customer + 1]])
                    // A customer whose first purchase is after the calibration end is not in it.
                    if days[orders.first!] <= calibrationEnd {
                        addCustomer(orders, days: days, amount: amount, calibrationEnd: calibrationEnd, unitDays: unitDays)
                        representatives.append(orders.first!)
                    }
                }
            }
        }
        keys = keyValues.gather(representatives).column(named: key.name)
    }

    /// One customer from their orders, sorted by day.
    private mutating func addCustomer(_ orders: UnsafeBufferPointer<Int>, days: UnsafeBufferPointer<Int32>, amount: [Double]?,
                                      calibrationEnd: Int32, unitDays: Double) {
        let firstDay = days[orders.first!]
        var lastDay = firstDay, purchaseDays = 1
        var repeatSpend = 0.0, daySpend = 0.0
        var holdoutDays = 0, previous = firstDay
        for row in orders {
            let day = days[row]
            if day != previous {
                repeatPurchaseDays.append(day)
                previous = day
                if day > calibrationEnd { holdoutDays += 1; continue }
            }
            if day > calibrationEnd { continue }
            if day != lastDay {
                if lastDay != firstDay { repeatSpend += daySpend }
                purchaseDays += 1
                lastDay = day
                daySpend = 0
            }
            daySpend += amount?[row] ?? 0
        }
        if lastDay != firstDay { repeatSpend += daySpend }
        let repeats = purchaseDays - 1
        x.append(Double(repeats))
        tx.append(Double(lastDay - firstDay) / unitDays)
        T.append(Double(calibrationEnd - firstDay) / unitDays)
        m.append(repeats > 0 && amount != nil ? repeatSpend / Double(repeats) : nil)
        first.append(firstDay)
        last.append(lastDay)
        holdout.append(Double(holdoutDays))
    }

    /// The summary as a table: the key, x, t_x, T, m and the first and last purchase dates.
    func table(named name: String, source: String) -> Table {
        func decimals(_ values: [Double?], _ name: String) -> Column { Vector.decimals(values).column(named: name) }
        let columns = [keys,
                       Vector(storage: .integer(x.map { Int64($0) }), nulls: nil).column(named: "x"),
                       Vector(storage: .decimal(tx), nulls: nil).column(named: "t_x"),
                       Vector(storage: .decimal(T), nulls: nil).column(named: "T"), decimals(m, "m"),
                       Vector(storage: .date(first), nulls: nil).column(named: "first_purchase"),
                       Vector(storage: .date(last), nulls: nil).column(named: "last_purchase")]
        return Table(name: name, columns: columns, rowCount: x.count, source: source)
    }
}
