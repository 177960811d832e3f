/// What the purchase models read of each customer (CLV.md, "the customer summary"): the
/// repeat purchases x, the time t_x from the first to the last purchase and the time T
/// from the first purchase to the end of the calibration period, in the model's time unit.
/// Customers with the same (x, t_x, T) are one row with a weight, as the likelihood of
/// each is the same; the rows are in order of T, then t_x, then x.
///
/// A likelihood's logarithms of (α + t) are worked out once per distinct time and its terms
/// in x alone once per distinct count, so each row holds indices into `times` and `counts`:
/// with times in whole days, distinct times are at most the days of the data, and counts
/// far fewer than rows.
public struct PurchaseSummary: Sendable {
    public private(set) var x: [Double] = []
    public private(set) var tx: [Double] = []
    public private(set) var T: [Double] = []
    /// How many customers each row stands for.
    public private(set) var weight: [Double] = []
    /// The distinct purchase counts; each row's index among them; the customers with each.
    public private(set) var counts: [Double] = []
    public private(set) var countIndex: [Int32] = []
    public private(set) var customersWithCount: [Double] = []
    /// The distinct values of t_x and T together, and each row's index of its t_x and T among them.
    public private(set) var times: [Double] = []
    public private(set) var txIndex: [Int32] = []
    public private(set) var TIndex: [Int32] = []
    /// The number of customers.
    public private(set) var customers = 0

    /// The summary of customers given one by one.
    public init<S: Sequence>(customers rows: S) where S.Element == (x: Double, tx: Double, T: Double) {
        var x: [Double] = [], tx: [Double] = [], T: [Double] = []
        for row in rows {
            x.append(row.x)
            tx.append(row.tx)
            T.append(row.T)
        }
        self.init(x: x, tx: tx, T: T)
    }

    /// The summary of customers given as columns of the same length.
    public init(x allX: [Double], tx allTx: [Double], T allT: [Double]) {
        precondition(allX.count == allTx.count && allX.count == allT.count, "columns of one length")
        customers = allX.count
        // Sorted by (T, t_x, x), equal customers are neighbours: one row per run.
        var order = [Int32](unsafeUninitializedCapacity: customers) { buffer, count in
            for i in 0..<customers { buffer[i] = Int32(i) }
            count = customers
        }
        allX.withUnsafeBufferPointer { x in
            allTx.withUnsafeBufferPointer { tx in
                allT.withUnsafeBufferPointer { T in
                    order.sort { i, j in
                        let (i, j) = (Int(i), Int(j))
                        if T[i] != T[j] { return T[i] < T[j] }
                        if tx[i] != tx[j] { return tx[i] < tx[j] }
                        return x[i] < x[j]
                    }
                }
            }
        }
        var indexOfCount: [Double: Int32] = [:], indexOfTime: [Double: Int32] = [:]
        func index(_ value: Double, in table: inout [Double: Int32], _ values: inout [Double]) -> Int32 {
            if let index = table[value] { return index }
            let index = Int32(values.count)
            table[value] = index
            values.append(value)
            return index
        }
        var start = 0
        while start < customers {
            let first = Int(order[start])
            var stop = start + 1
            while stop < customers, allX[Int(order[stop])] == allX[first], allTx[Int(order[stop])] == allTx[first],
                  allT[Int(order[stop])] == allT[first] { stop += 1 }
            x.append(allX[first])
            tx.append(allTx[first])
            T.append(allT[first])
            weight.append(Double(stop - start))
            let count = index(allX[first], in: &indexOfCount, &counts)
            if Int(count) == customersWithCount.count { customersWithCount.append(0) }
            customersWithCount[Int(count)] += Double(stop - start)
            countIndex.append(count)
            txIndex.append(index(allTx[first], in: &indexOfTime, &times))
            TIndex.append(index(allT[first], in: &indexOfTime, &times))
            start = stop
        }
    }

    public var rows: Int { x.count }
    /// The mean of T over the customers: the scale of the time unit in the data.
    public var meanT: Double {
        customers == 0 ? 0 : zip(T, weight).reduce(0) { $0 + $1.0 * $1.1 } / Double(customers)
    }
}
