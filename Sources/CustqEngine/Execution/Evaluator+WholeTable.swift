import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Values of each row computed from every row of the table: total, ntile, qcut and abc,
/// remembered for the rest of the query.
extension Evaluator {
    /// A value computed over every row of the table, remembered for the rest of the query,
    /// then taken for the rows being evaluated.
    func wholeTable(_ expr: BoundExpr, _ compute: (Evaluator) throws(EvaluationError) -> Vector) throws(EvaluationError) -> Vector {
        guard let memo, rows != nil || count == table.rowCount else { return try compute(self) }
        let everyRow = everyRowEvaluator
        let all = try memo.value(expr.fingerprint) { () throws(EvaluationError) in try compute(everyRow) }
        guard let rows else { return all }
        return all.gather(rows.map { Int($0) })
    }

    /// `total(x)` for the rows being evaluated (all of them): x summed, on every row.
    func totalVector(_ inner: BoundExpr) throws(EvaluationError) -> Vector {
        Vector(storage: .decimal(.init(repeating: try sum(inner), count: count)), nulls: nil)
    }

    /// x summed over the rows being evaluated, nulls left out.
    func sum(_ inner: BoundExpr) throws(EvaluationError) -> Double {
        let values = try evaluate(inner)
        var sum = 0.0
        if case .decimal(let x) = values.storage {
            for i in x.indices where !values.isNull(i) { sum += x[i] }
        }
        return sum
    }

    /// This evaluator over every row of the table (ranks and cut points look at all rows).
    var everyRowEvaluator: Evaluator {
        var everyRow = Evaluator(table: table, rows: nil, context: context)
        everyRow.memo = memo
        return everyRow
    }

    /// One row with a value, as ntile and abc rank it: by the value, then the tie-break
    /// column ascending, then the row. Kept together so ranking reads contiguous memory.
    struct RankEntry: Comparable {
        let x: Double
        let tie: Int64
        let row: Int32

        static func < (a: RankEntry, b: RankEntry) -> Bool {
            if a.x != b.x { return a.x < b.x }
            if a.tie != b.tie { return a.tie < b.tie }
            return a.row < b.row
        }

        /// ABC's order: the larger value first; equal values still by tie-break, then row.
        static func largestFirst(_ a: RankEntry, _ b: RankEntry) -> Bool { a.x != b.x ? a.x > b.x : a < b }
    }

    /// The values of every row of the table, and an entry for each row that has one
    /// (unordered); ties fall to the tie-break column when it holds whole numbers.
    func rankEntries(_ inner: BoundExpr, tieBreak: Int?) throws(EvaluationError)
        -> (values: Vector, entries: [RankEntry])? {
        let everyRow = everyRowEvaluator
        let values = try everyRow.evaluate(inner)
        guard case .decimal(let x) = values.storage else { return nil }
        let ties: [Int64]? = tieBreak.flatMap { index in
            if case .integer(let ids) = everyRow.column(table.columns[index]).storage { return ids }
            return nil
        }
        var entries: [RankEntry] = []
        entries.reserveCapacity(x.count)
        for row in 0..<x.count where !values.isNull(row) {
            entries.append(RankEntry(x: x[row], tie: ties?[row] ?? 0, row: Int32(row)))
        }
        return (values, entries)
    }

    /// SQL's NTILE(k) over every row with a value: rows ordered by the value, then by the
    /// tie-break column ascending; the first n mod k groups get one row more. Only the k-1
    /// group edges are selected, not the whole order.
    func ntile(_ k: Int, _ inner: BoundExpr, tieBreak: Int?) throws(EvaluationError) -> Vector {
        guard var (values, entries) = try rankEntries(inner, tieBreak: tieBreak) else {
            return Vector.allNull(.integer, count: count)
        }
        let n = entries.count, size = n / k, bigger = n % k
        var edges: [Int] = []
        var position = 0
        for group in 0..<k {
            edges.append(position)
            position += size + (group < bigger ? 1 : 0)
        }
        Selection.partition(&entries, at: Array(edges.dropFirst()))
        var bucket = [Int64](repeating: 0, count: values.count)
        for group in 0..<k {
            let end = group + 1 < k ? edges[group + 1] : n
            for index in edges[group]..<end { bucket[Int(entries[index].row)] = Int64(group + 1) }
        }
        values.storage = .integer(bucket)
        guard let rows else { return values }
        return values.gather(rows.map { Int($0) })
    }

    /// Value cut points: the k-1 continuous quantiles j/k of the values of every row (as
    /// SQL's quantile_cont); a row scores 1 + the number of cut points its value is above,
    /// so equal values always share a score (pandas' qcut bins, numbered from 1).
    func qcut(_ k: Int, _ inner: BoundExpr) throws(EvaluationError) -> Vector {
        let everyRow = everyRowEvaluator
        let values = try everyRow.evaluate(inner)
        guard case .decimal(let x) = values.storage else { return Vector.allNull(.integer, count: count) }
        var sorted = (0..<x.count).filter { !values.isNull($0) }.map { x[$0] }
        sorted.sort()
        var scores = [Int64](repeating: 0, count: x.count)
        if !sorted.isEmpty {
            let cuts = (1..<k).map { j -> Double in
                let position = Double(j) / Double(k) * Double(sorted.count - 1)
                let low = Int(position.rounded(.down))
                guard Double(low) != position, low + 1 < sorted.count else { return sorted[low] }
                return sorted[low] + (sorted[low + 1] - sorted[low]) * (position - Double(low))
            }
            for row in 0..<x.count where !values.isNull(row) {
                var score: Int64 = 1
                for cut in cuts where x[row] > cut { score += 1 }
                scores[row] = score
            }
        }
        let all = Vector(storage: .integer(scores), nulls: values.nulls)
        guard let rows else { return all }
        return all.gather(rows.map { Int($0) })
    }

    /// ABC classes: rows with a value sorted by it descending (ties by the key ascending);
    /// the cumulative share of the total, including the row, up to `a` (80%) is A, up to
    /// `b` (95%) B, else C.
    func abc(_ inner: BoundExpr, tieBreak: Int?, a: Double, b: Double) throws(EvaluationError) -> Vector {
        guard var (values, entries) = try rankEntries(inner, tieBreak: tieBreak) else {
            return Vector.allNull(.string, count: count)
        }
        var classes = [Int32](repeating: 0, count: values.count)   // 0 A, 1 B, 2 C
        let total = entries.reduce(0.0) { $0 + $1.x }
        if total > 0, entries.allSatisfy({ $0.x >= 0 }) {
            // With no negative values the classes are runs of the order: find where each run
            // ends by weighted selection (linear), without sorting everyone.
            let (endOfA, sumOfA) = Selection.cumulativeCut(&entries, from: 0, sumBefore: 0, total: total, share: a)
            let (endOfB, _) = Selection.cumulativeCut(&entries, from: endOfA, sumBefore: sumOfA, total: total, share: b)
            for index in entries.indices {
                classes[Int(entries[index].row)] = index < endOfA ? 0 : index < endOfB ? 1 : 2
            }
            values.storage = .string(StringValues(heap: StringHeap(["A", "B", "C"]), indexes: classes, unique: true))
            guard let rows else { return values }
            return values.gather(rows.map { Int($0) })
        }
        // Negative values (refunds): sort largest first, equal values by the tie-break.
        entries.sort(by: RankEntry.largestFirst)
        var running = 0.0
        for entry in entries {
            running += entry.x
            let share = total == 0 ? 1 : running / total
            classes[Int(entry.row)] = share <= a ? 0 : share <= b ? 1 : 2
        }
        values.storage = .string(StringValues(heap: StringHeap(["A", "B", "C"]), indexes: classes, unique: true))
        guard let rows else { return values }
        return values.gather(rows.map { Int($0) })
    }
}
