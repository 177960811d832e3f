import CustqStore

/// Computes aggregate calls for every group: one vector per call, one value per group.
enum Aggregates {
    static func compute(_ call: AggregateCall, argument: Vector?, grouping: Grouping) throws(EvaluationError) -> Vector {
        let groups = grouping.count
        let groupOf = grouping.groupOf
        switch call.kind {
        case .count:
            var counts = [Int64](repeating: 0, count: groups)
            counts.withUnsafeMutableBufferPointer { counts in
                groupOf.withUnsafeBufferPointer { groupOf in
                    if let nulls = argument?.nulls {
                        for row in 0..<groupOf.count where !nulls[row] { counts[Int(groupOf[row])] += 1 }
                    } else {
                        for row in 0..<groupOf.count { counts[Int(groupOf[row])] += 1 }
                    }
                }
            }
            return Vector(storage: .integer(counts), nulls: nil)
        case .countIf, .share:
            var hits = [Int64](repeating: 0, count: groups)
            var totals = [Int64](repeating: 0, count: groups)
            if let argument, case .boolean(let values) = argument.storage {
                hits.withUnsafeMutableBufferPointer { hits in
                    totals.withUnsafeMutableBufferPointer { totals in
                        groupOf.withUnsafeBufferPointer { groupOf in
                            values.withUnsafeBufferPointer { values in
                                let nulls = argument.nulls
                                for row in 0..<groupOf.count {
                                    let group = Int(groupOf[row])
                                    totals[group] += 1
                                    if values[row] && (nulls == nil || !nulls![row]) { hits[group] += 1 }
                                }
                            }
                        }
                    }
                }
            }
            if call.kind == .countIf { return Vector(storage: .integer(hits), nulls: nil) }
            return Vector(storage: .decimal(zip(hits, totals).map { Double($0) / Double($1) }), nulls: nil)
        case .sum where call.type == .integer:
            var sums = [Int64](repeating: 0, count: groups)
            var seen = [Bool](repeating: false, count: groups)
            if let argument, case .integer(let values) = argument.storage {
                for (row, group) in groupOf.enumerated() where !argument.isNull(row) {
                    let (total, overflow) = sums[Int(group)].addingReportingOverflow(values[row])
                    if overflow { throw .overflow }
                    sums[Int(group)] = total
                    seen[Int(group)] = true
                }
            }
            return Vector(storage: .integer(sums), nulls: seen.contains(false) ? seen.map { !$0 } : nil)
        case .sum, .avg, .stddev:
            return moments(call.kind, argument, grouping)
        case .median, .quantile:
            let fraction: Double
            if case .quantile(let q) = call.kind { fraction = q } else { fraction = 0.5 }
            return quantiles(fraction, argument, grouping)
        case .min, .max:
            return extreme(call.kind == .max, argument, grouping, type: call.type)
        case .distinct:
            return distinct(argument, grouping)
        }
    }

    /// Sum, mean and sample standard deviation (Welford's update, stable for large sums).
    private static func moments(_ kind: AggregateCall.Kind, _ argument: Vector?, _ grouping: Grouping) -> Vector {
        let groups = grouping.count
        var n = [Int](repeating: 0, count: groups)
        var sum = [Double](repeating: 0, count: groups)
        var mean = [Double](repeating: 0, count: groups)
        var m2 = [Double](repeating: 0, count: groups)
        guard let argument, let values = argument.doubles else { return Vector.allNull(.decimal, count: groups) }
        let nulls = argument.nulls
        values.withUnsafeBufferPointer { values in
            grouping.groupOf.withUnsafeBufferPointer { groupOf in
                if kind != .stddev, nulls == nil {
                    // The common case, kept tight: sums and counts only.
                    for row in 0..<groupOf.count {
                        let group = Int(groupOf[row])
                        n[group] += 1
                        sum[group] += values[row]
                    }
                    return
                }
                for row in 0..<groupOf.count where !(nulls?[row] ?? false) {
                    let group = Int(groupOf[row])
                    let x = values[row]
                    n[group] += 1
                    sum[group] += x
                    if kind == .stddev {
                        let delta = x - mean[group]
                        mean[group] += delta / Double(n[group])
                        m2[group] += delta * (x - mean[group])
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: groups)
        var outNulls = [Bool](repeating: false, count: groups)
        for group in 0..<groups {
            switch kind {
            case .sum: out[group] = sum[group]; outNulls[group] = n[group] == 0
            case .avg: out[group] = n[group] > 0 ? sum[group] / Double(n[group]) : 0; outNulls[group] = n[group] == 0
            default:
                outNulls[group] = n[group] < 2
                out[group] = n[group] < 2 ? 0 : (m2[group] / Double(n[group] - 1)).squareRoot()
            }
        }
        return Vector(storage: .decimal(out), nulls: outNulls.contains(true) ? outNulls : nil)
    }

    /// Continuous quantile (linear interpolation between the two nearest ranks), as
    /// SQL's quantile_cont / percentile_cont.
    private static func quantiles(_ fraction: Double, _ argument: Vector?, _ grouping: Grouping) -> Vector {
        let groups = grouping.count
        guard let argument, let values = argument.doubles else { return Vector.allNull(.decimal, count: groups) }
        var buckets = [[Double]](repeating: [], count: groups)
        for (row, group) in grouping.groupOf.enumerated() where !argument.isNull(row) { buckets[Int(group)].append(values[row]) }
        var out = [Double](repeating: 0, count: groups)
        var nulls = [Bool](repeating: false, count: groups)
        for group in 0..<groups {
            guard !buckets[group].isEmpty else { nulls[group] = true; continue }
            out[group] = Selection.quantile(fraction, of: &buckets[group])
        }
        return Vector(storage: .decimal(out), nulls: nulls.contains(true) ? nulls : nil)
    }

    private static func extreme(_ isMax: Bool, _ argument: Vector?, _ grouping: Grouping, type: ValueType) -> Vector {
        let groups = grouping.count
        guard let argument else { return Vector.allNull(type, count: groups) }
        var best = [Int](repeating: -1, count: groups)   // row holding the current extreme
        func better(_ a: Int, than b: Int) -> Bool {
            let order: Int
            switch argument.storage {
            case .integer(let v): order = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
            case .decimal(let v): order = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
            case .date(let v): order = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
            case .timestamp(let v): order = v[a] < v[b] ? -1 : (v[a] > v[b] ? 1 : 0)
            case .boolean(let v): order = (v[a] ? 1 : 0) - (v[b] ? 1 : 0)
            case .string(let s):
                order = s.heap.withBytes(at: Int(s.indexes[a])) { x in
                    s.heap.withBytes(at: Int(s.indexes[b])) { y in Comparison.bytesCompare(x, y) }
                }
            }
            return isMax ? order > 0 : order < 0
        }
        // Numbers and dates (max(orders.order_date) over millions of orders) compare in place.
        func scan<T: Comparable>(_ values: [T]) {
            let nulls = argument.nulls
            values.withUnsafeBufferPointer { values in
                grouping.groupOf.withUnsafeBufferPointer { groupOf in
                    best.withUnsafeMutableBufferPointer { best in
                        for row in 0..<values.count where nulls == nil || !nulls![row] {
                            let group = Int(groupOf[row]), current = best[group]
                            if current < 0 || (isMax ? values[row] > values[current] : values[row] < values[current]) {
                                best[group] = row
                            }
                        }
                    }
                }
            }
        }
        switch argument.storage {
        case .integer(let v): scan(v)
        case .decimal(let v): scan(v)
        case .date(let v): scan(v)
        case .timestamp(let v): scan(v)
        default:
            for (row, g) in grouping.groupOf.enumerated() where !argument.isNull(row) {
                let group = Int(g)
                if best[group] < 0 || better(row, than: best[group]) { best[group] = row }
            }
        }
        let picks = best.map { max(0, $0) }
        var result = argument.count == 0 ? Vector.allNull(type, count: groups) : argument.gather(picks)
        if best.contains(-1) { result.nulls = best.map { $0 < 0 } }
        return result
    }

    private static func distinct(_ argument: Vector?, _ grouping: Grouping) -> Vector {
        let groups = grouping.count
        guard let argument else { return Vector(storage: .integer(.init(repeating: 0, count: groups)), nulls: nil) }
        if groups == 1, let count = Grouping.distinctCount(argument) {
            return Vector(storage: .integer([Int64(count)]), nulls: nil)
        }
        let (codes, cardinality) = Grouping.denseCodes(argument) ?? Grouping.codes(argument)
        if groups == 1 {
            // One group: the number of different codes seen (0 is null).
            var seen = [Bool](repeating: false, count: cardinality)
            for code in codes { seen[Int(code)] = true }
            return Vector(storage: .integer([Int64(seen.dropFirst().filter { $0 }.count)]), nulls: nil)
        }
        // Most values belong to one group (an order id to its customer): each code remembers
        // the group it was counted for. A code met in a second group is uncounted there and
        // marked shared; the shared codes alone are counted by (group, code) pairs.
        var counts = [Int64](repeating: 0, count: groups)
        var owner = [Int32](repeating: -1, count: cardinality)
        let shared: Int32 = -2
        var anyShared = false
        codes.withUnsafeBufferPointer { codes in
            grouping.groupOf.withUnsafeBufferPointer { groupOf in
                owner.withUnsafeMutableBufferPointer { owner in
                    for row in 0..<codes.count {
                        let code = Int(codes[row])
                        guard code != 0 else { continue }
                        let group = groupOf[row], held = owner[code]
                        if held == group || held == shared { continue }
                        if held == -1 {
                            owner[code] = group
                            counts[Int(group)] += 1
                        } else {
                            counts[Int(held)] -= 1
                            owner[code] = shared
                            anyShared = true
                        }
                    }
                }
            }
        }
        guard anyShared else { return Vector(storage: .integer(counts), nulls: nil) }
        let pairs = BitsNumbering(expected: 1 << 12)
        var last = UInt64.max
        for (row, group) in grouping.groupOf.enumerated() where codes[row] != 0 && owner[Int(codes[row])] == shared {
            let pair = UInt64(UInt32(bitPattern: group)) << 32 | UInt64(UInt32(bitPattern: codes[row]))
            if pair == last { continue }
            last = pair
            let before = pairs.count
            _ = pairs.code(of: pair)
            if pairs.count != before { counts[Int(group)] += 1 }
        }
        return Vector(storage: .integer(counts), nulls: nil)
    }
}
