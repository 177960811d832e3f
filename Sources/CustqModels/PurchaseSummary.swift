/// What the purchase models read of each customer (CLV.md, "the customer summary"): the
/// repeat purchases x, the time t_x from the first to the last purchase and the time T
/// from the first purchase to the end of the calibration period, in the model's time unit.
/// Customers with the same (x, t_x, T) are one row with a weight, as the likelihood of
/// each is the same.
public struct PurchaseSummary: Sendable {
    public private(set) var x: [Double] = []
    public private(set) var tx: [Double] = []
    public private(set) var T: [Double] = []
    /// How many customers each row stands for.
    public private(set) var weight: [Double] = []
    /// The distinct purchase counts, and each row's index among them (terms of the
    /// likelihood that depend on x alone are worked out once per count).
    public private(set) var counts: [Double] = []
    public private(set) var countIndex: [Int] = []
    /// The number of customers.
    public private(set) var customers = 0

    /// The summary of customers given one by one.
    public init<S: Sequence>(customers rows: S) where S.Element == (x: Double, tx: Double, T: Double) {
        var rowOf: [RowKey: Int] = [:]
        var indexOfCount: [Double: Int] = [:]
        for row in rows {
            customers += 1
            let key = RowKey(x: row.x, tx: row.tx, T: row.T)
            if let index = rowOf[key] {
                weight[index] += 1
                continue
            }
            rowOf[key] = x.count
            x.append(row.x)
            tx.append(row.tx)
            T.append(row.T)
            weight.append(1)
            if let index = indexOfCount[row.x] {
                countIndex.append(index)
            } else {
                indexOfCount[row.x] = counts.count
                countIndex.append(counts.count)
                counts.append(row.x)
            }
        }
    }

    public var rows: Int { x.count }
    /// The mean of T over the customers: the scale of the time unit in the data.
    public var meanT: Double {
        customers == 0 ? 0 : zip(T, weight).reduce(0) { $0 + $1.0 * $1.1 } / Double(customers)
    }

    private struct RowKey: Hashable {
        let x: Double, tx: Double, T: Double
    }
}
