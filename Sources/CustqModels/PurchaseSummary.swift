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
        // Each value's rank among the distinct values (times: t_x and T together), so that a
        // customer's (T, t_x, x) packs into one integer whose order is theirs, and integers
        // sort by their digits, without comparisons.
        var distinctTimes = DistinctValues(), distinctCounts = DistinctValues()
        for i in 0..<customers {
            distinctTimes.insert(allT[i])
            distinctTimes.insert(allTx[i])
            distinctCounts.insert(allX[i])
        }
        times = distinctTimes.sortedValues()
        counts = distinctCounts.sortedValues()
        let timeRank = distinctTimes.ranks(in: times), countRank = distinctCounts.ranks(in: counts)
        let timeBits = Self.bits(times.count), countBits = Self.bits(counts.count)
        customersWithCount = [Double](repeating: 0, count: counts.count)
        guard 2 * timeBits + countBits <= 64 else {
            // Beyond 2²¹ distinct times (never from whole days): the same rows by comparison.
            let order = (0..<customers).sorted { i, j in
                if allT[i] != allT[j] { return allT[i] < allT[j] }
                if allTx[i] != allTx[j] { return allTx[i] < allTx[j] }
                return allX[i] < allX[j]
            }
            var start = 0
            while start < customers {
                let first = order[start]
                var stop = start + 1
                while stop < customers, allX[order[stop]] == allX[first], allTx[order[stop]] == allTx[first],
                      allT[order[stop]] == allT[first] { stop += 1 }
                appendRow(count: countRank(allX[first]), early: timeRank(allTx[first]), late: timeRank(allT[first]),
                          weight: stop - start)
                start = stop
            }
            return
        }
        var keys = [UInt64](unsafeUninitializedCapacity: customers) { buffer, count in
            for i in 0..<customers {
                let t = UInt64(timeRank(allT[i])), early = UInt64(timeRank(allTx[i])), k = UInt64(countRank(allX[i]))
                buffer[i] = t << (timeBits + countBits) | early << countBits | k
            }
            count = customers
        }
        Self.radixSort(&keys, bits: 2 * timeBits + countBits)
        let countMask = UInt64(1) << countBits - 1, timeMask = UInt64(1) << timeBits - 1
        var start = 0
        while start < customers {
            let key = keys[start]
            var stop = start + 1
            while stop < customers, keys[stop] == key { stop += 1 }
            let k = Int32(truncatingIfNeeded: key & countMask)
            let early = Int32(truncatingIfNeeded: key >> countBits & timeMask)
            let late = Int32(truncatingIfNeeded: key >> (timeBits + countBits))
            appendRow(count: k, early: early, late: late, weight: stop - start)
            start = stop
        }
    }

    private mutating func appendRow(count: Int32, early: Int32, late: Int32, weight n: Int) {
        x.append(counts[Int(count)])
        tx.append(times[Int(early)])
        T.append(times[Int(late)])
        weight.append(Double(n))
        customersWithCount[Int(count)] += Double(n)
        countIndex.append(count)
        txIndex.append(early)
        TIndex.append(late)
    }

    /// Sorts keys below 2^bits, 11 bits a pass from the lowest (a stable counting sort per
    /// pass): three passes for a million customers, against some twenty compares each by merging.
    private static func radixSort(_ keys: inout [UInt64], bits: Int) {
        let digitBits = 11, buckets = 1 << digitBits
        var other = [UInt64](repeating: 0, count: keys.count)
        var shift = 0
        while shift < bits {
            var starts = [Int](repeating: 0, count: buckets + 1)
            let mask = UInt64(buckets - 1), s = UInt64(shift)
            keys.withUnsafeBufferPointer { keys in
                for key in keys { starts[Int(key >> s & mask) + 1] += 1 }
                for b in 0..<buckets { starts[b + 1] += starts[b] }
                other.withUnsafeMutableBufferPointer { other in
                    for key in keys {
                        let b = Int(key >> s & mask)
                        other[starts[b]] = key
                        starts[b] += 1
                    }
                }
            }
            swap(&keys, &other)
            shift += digitBits
        }
    }

    /// The bits that hold the numbers 0..<n.
    private static func bits(_ n: Int) -> Int { n <= 1 ? 0 : Int.bitWidth - (n - 1).leadingZeroBitCount }

    public var rows: Int { x.count }

    /// The row columns a likelihood reads, as buffers (no bounds check or reference count per access).
    struct RowBuffers {
        var x: UnsafeBufferPointer<Double>, weight: UnsafeBufferPointer<Double>
        var countIndex: UnsafeBufferPointer<Int32>, txIndex: UnsafeBufferPointer<Int32>, TIndex: UnsafeBufferPointer<Int32>
    }

    func withRowBuffers<R>(_ body: (RowBuffers) -> R) -> R {
        x.withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { weight in
                countIndex.withUnsafeBufferPointer { countIndex in
                    txIndex.withUnsafeBufferPointer { txIndex in
                        TIndex.withUnsafeBufferPointer { TIndex in
                            body(RowBuffers(x: x, weight: weight, countIndex: countIndex, txIndex: txIndex, TIndex: TIndex))
                        }
                    }
                }
            }
        }
    }
    /// The mean of T over the customers: the scale of the time unit in the data.
    public var meanT: Double {
        customers == 0 ? 0 : zip(T, weight).reduce(0) { $0 + $1.0 * $1.1 } / Double(customers)
    }
}

/// The distinct values of a column, by an open-addressing hash on their bit patterns (−0 is
/// counted as 0), and each value's rank among them.
private struct DistinctValues {
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var used = [Bool](repeating: false, count: 1024)
    private(set) var values: [Double] = []

    private static func key(_ value: Double) -> UInt64 { (value + 0).bitPattern }
    /// The top bits of a Fibonacci hash: the only bits of the product that every bit of the key moves.
    private static func slot(_ key: UInt64, _ slotCount: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotCount.trailingZeroBitCount))
    }
    private func slot(_ key: UInt64) -> Int { Self.slot(key, slots.count) }

    mutating func insert(_ value: Double) {
        let key = Self.key(value)
        var i = slot(key)
        while used[i] {
            if slots[i] == key { return }
            i = (i + 1) & (slots.count - 1)
        }
        slots[i] = key
        used[i] = true
        values.append(value + 0)
        if values.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let old = values
        slots = [UInt64](repeating: 0, count: slots.count * 4)
        used = [Bool](repeating: false, count: slots.count)
        values = []
        for value in old { insert(value) }
    }

    func sortedValues() -> [Double] { values.sorted() }

    /// A lookup of each inserted value's index in `sorted` (its sorted values).
    func ranks(in sorted: [Double]) -> (Double) -> Int32 {
        var rankOfSlot = [Int32](repeating: 0, count: slots.count)
        for (rank, value) in sorted.enumerated() {
            var i = slot(Self.key(value))
            while slots[i] != Self.key(value) { i = (i + 1) & (slots.count - 1) }
            rankOfSlot[i] = Int32(rank)
        }
        let slots = slots, mask = slots.count - 1
        return { value in
            let key = Self.key(value)
            var i = Self.slot(key, slots.count)
            while slots[i] != key { i = (i + 1) & mask }
            return rankOfSlot[i]
        }
    }
}
