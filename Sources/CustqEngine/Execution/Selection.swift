/// Order statistics without sorting everything: quickselect (expected linear time).
enum Selection {
    /// The continuous quantile `fraction` of `values` (which it reorders): linear
    /// interpolation between the two nearest ranks, as SQL's quantile_cont.
    static func quantile(_ fraction: Double, of values: inout [Double]) -> Double {
        let position = fraction * Double(values.count - 1)
        let low = Int(position.rounded(.down))
        let lowValue = select(low, in: &values)
        guard Double(low) != position, low + 1 < values.count else { return lowValue }
        // After selecting `low`, everything to its right is >= it: the next rank is their minimum.
        var highValue = values[low + 1]
        for i in (low + 2)..<values.count where values[i] < highValue { highValue = values[i] }
        return lowValue + (highValue - lowValue) * (position - Double(low))
    }

    /// The value of rank `k` (0-based); afterwards values[k] holds it, smaller ranks before
    /// and larger after.
    static func select(_ k: Int, in values: inout [Double]) -> Double {
        values.withUnsafeMutableBufferPointer { a in
            select(k, in: a, low: 0, high: a.count - 1)
            return a[k]
        }
    }

    /// Puts the element of rank `k` of `a[low...high]` at `k`, smaller ones before it and
    /// larger ones after (quickselect with a median-of-three pivot).
    static func select<T: Comparable>(_ k: Int, in a: UnsafeMutableBufferPointer<T>, low: Int, high: Int) {
        var low = low, high = high
        while low < high {
            // Median of three as the pivot guards against sorted input.
            let mid = low + (high - low) / 2
            if a[mid] < a[low] { a.swapAt(mid, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[mid] { a.swapAt(high, mid) }
            let pivot = a[mid]
            var i = low, j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
    }

    /// Reorders `values` so that each range between consecutive `boundaries` (ascending
    /// positions) holds exactly the elements of those ranks, in no particular order within:
    /// what equal-count groups need, without sorting everything.
    static func partition<T: Comparable>(_ values: inout [T], at boundaries: [Int]) {
        values.withUnsafeMutableBufferPointer { a in
            func split(_ low: Int, _ high: Int, _ cuts: ArraySlice<Int>) {
                guard !cuts.isEmpty, low < high else { return }
                let middle = cuts.startIndex + cuts.count / 2
                let cut = cuts[middle]
                select(cut, in: a, low: low, high: high - 1)
                split(low, cut, cuts[..<middle])
                split(cut + 1, high, cuts[(middle + 1)...])
            }
            split(0, a.count, boundaries.filter { $0 > 0 && $0 < a.count }[...])
        }
    }

    /// ABC's cut: with entries ordered largest value first (ties by key, then row) and no
    /// negative values, the running share of `total` only grows, so the entries whose running
    /// share (including themselves) is at most `share` are a run at the front. Rearranges
    /// `entries[start...]` so that run comes first and returns where it ends and its sum
    /// (plus `sumBefore`, the sum of the entries before `start`). Quickselect on the order,
    /// keeping the side where the share is crossed: linear on average, where sorting a
    /// million customers is n log n and misses the cache.
    static func cumulativeCut(_ entries: inout [Evaluator.RankEntry], from start: Int, sumBefore: Double,
                              total: Double, share: Double) -> (end: Int, sum: Double) {
        let precedes = Evaluator.RankEntry.largestFirst
        return entries.withUnsafeMutableBufferPointer { a in
            var low = start, high = a.count, sum = sumBefore
            while low < high {
                // Median of three as the pivot, moved to the end of the range.
                let mid = low + (high - low) / 2, last = high - 1
                if precedes(a[mid], a[low]) { a.swapAt(mid, low) }
                if precedes(a[last], a[low]) { a.swapAt(last, low) }
                if precedes(a[mid], a[last]) { a.swapAt(mid, last) }
                let pivot = a[last]
                var front = low
                var frontSum = 0.0
                for i in low..<last where precedes(a[i], pivot) {
                    frontSum += a[i].x
                    a.swapAt(i, front)
                    front += 1
                }
                a.swapAt(front, last)
                if (sum + frontSum) / total > share {
                    high = front                       // crossed before the pivot
                } else if (sum + frontSum + pivot.x) / total > share {
                    return (front, sum + frontSum)     // the pivot is the first to cross
                } else {
                    sum += frontSum + pivot.x           // everything up to the pivot stays
                    low = front + 1
                }
            }
            return (low, sum)
        }
    }
}
