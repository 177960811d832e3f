import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an evaluation stopped.
enum EvaluationError: Error {
    case overflow
    /// Date arithmetic went past the dates custq holds (years 1 to 9999).
    case dateOutOfRange
    case interrupted
}

/// Evaluates bound expressions a whole column at a time over a set of rows: all rows of
/// the table, or a selection (row numbers that passed a filter).
struct Evaluator {
    let table: Table
    /// Row numbers to evaluate; nil means every row.
    let rows: [Int32]?
    let count: Int
    /// Per-group aggregate results, for expressions over aggregates.
    var aggregateValues: [Vector] = []
    /// The statement's tables, as-of date and interruption check.
    var context = StatementContext()
    var today: Int32 { context.today }
    var shouldStop: (@Sendable () -> Bool)? { context.shouldStop }
    var relations: RelationCache? { context.relations }
    /// Whole-table results already computed in this query.
    var memo: QueryMemo?
    /// Where values that did not convert (`date('soon')`) are noted for the result.
    var conversions: ConversionLog?
    /// Values of definitions used more than once, for these rows.
    let sharedValues = SharedValues()

    init(table: Table, rows: [Int32]?, context: StatementContext = StatementContext()) {
        self.table = table
        self.rows = rows
        self.context = context
        count = rows?.count ?? table.rowCount
    }

    /// For expressions over aggregate results: `count` groups.
    init(table: Table, groups: Int, aggregates: [Vector]) {
        self.table = table
        rows = []
        count = groups
        aggregateValues = aggregates
    }

    static func currentDay() -> Int32 {
        Int32(time(nil) / 86_400)
    }

    func evaluate(_ expr: BoundExpr) throws(EvaluationError) -> Vector {
        if let shouldStop, shouldStop() { throw .interrupted }
        switch expr {
        case .shared(let shared):
            guard shared.uses > 1 else { return try evaluate(shared.expr) }
            if let known = sharedValues.values[shared.id] { return known }
            let value = try evaluate(shared.expr)
            sharedValues.values[shared.id] = value
            return value
        case .column(let index, _):
            // A column read several times in one query (nps reads nps_score three times) is
            // copied out once when every row is evaluated.
            guard let memo, rows == nil else { return column(table.columns[index]) }
            return try memo.value(table.name + "." + expr.fingerprint) { () throws(EvaluationError) in column(table.columns[index]) }
        case .constant(let scalar):
            return broadcast(scalar)
        case .aggregate(let index, _):
            return aggregateValues[index]
        case .rollup(let rollup):
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in try e.rollup(rollup) }
        case .lookup(let lookup):
            return self.lookup(lookup)
        case .ntile(let k, let inner, let tieBreak):
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in try e.ntile(k, inner, tieBreak: tieBreak) }
        case .abc(let inner, let tieBreak, let a, let b):
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in try e.abc(inner, tieBreak: tieBreak, a: a, b: b) }
        case .qcut(let k, let inner):
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in try e.qcut(k, inner) }
        case .total(let inner) where memo != nil && !expr.usesAggregates:
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in try e.totalVector(inner) }
        case .function("if", let arguments, let type) where memo != nil && !expr.usesAggregates:
            // Definitions such as rfm_segment are if-chains used several times in one query.
            return try wholeTable(expr) { (e: Evaluator) throws(EvaluationError) in
                if let chain = try e.constantIfChain(expr, type: type) { return chain }
                var values: [Vector] = []
                for argument in arguments { values.append(try e.evaluate(argument)) }
                return try Functions.apply("if", values, type: type, count: e.count, today: e.today)
            }
        case .total(let inner):
            return Vector(storage: .decimal(.init(repeating: try everyRowEvaluator.sum(inner), count: count)), nulls: nil)
        case .toDecimal(let inner):
            let v = try evaluate(inner)
            if case .integer(let values) = v.storage { return Vector(storage: .decimal(values.map(Double.init)), nulls: v.nulls) }
            return v
        case .negate(let inner, _):
            let v = try evaluate(inner)
            switch v.storage {
            case .integer(let values):
                var out = [Int64](repeating: 0, count: values.count)
                for i in values.indices {
                    let (r, overflow) = Int64(0).subtractingReportingOverflow(values[i])
                    if overflow && !v.isNull(i) { throw .overflow }
                    out[i] = r
                }
                return Vector(storage: .integer(out), nulls: v.nulls)
            case .decimal(let values): return Vector(storage: .decimal(values.map { -$0 }), nulls: v.nulls)
            default: return v
            }
        case .arithmetic(let op, let l, let r, .decimal) where rows == nil && op != .remainder:
            // Decimal arithmetic reads whole columns in place instead of copying them.
            return try withDecimals(l) { (a: UnsafeBufferPointer<Double>, aNulls: [Bool]?) throws(EvaluationError) in
                try withDecimals(r) { (b: UnsafeBufferPointer<Double>, bNulls: [Bool]?) throws(EvaluationError) in
                    Arithmetic.decimals(op, a, b, nulls: combinedNulls(aNulls, bNulls))
                }
            }
        case .arithmetic(let op, let l, let r, let type):
            return try Arithmetic.apply(op, try evaluate(l), try evaluate(r), type: type)
        case .compare(let op, let l, .constant(let constant)):
            return Comparison.compare(op, try evaluate(l), constant)
        case .compare(let op, .constant(let constant), let r):
            return Comparison.compare(op.flipped, try evaluate(r), constant)
        case .compare(let op, let l, let r):
            return Comparison.compare(op, try evaluate(l), try evaluate(r))
        case .logical(let op, let l, let r):
            return Logic.combine(op, try evaluate(l), try evaluate(r))
        case .not(let inner):
            let v = try evaluate(inner)
            guard case .boolean(let values) = v.storage else { return v }
            return Vector(storage: .boolean(values.map { !$0 }), nulls: v.nulls)
        case .inList(let inner, let constants, let negated):
            return Comparison.inList(try evaluate(inner), constants, negated: negated)
        case .isNull(let inner, let negated):
            let v = try evaluate(inner)
            let nulls = v.nulls ?? [Bool](repeating: false, count: v.count)
            return Vector(storage: .boolean(negated ? nulls.map { !$0 } : nulls), nulls: nil)
        case .function(let name, let arguments, let type):
            var values: [Vector] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            guard FunctionRegistry.named(name)?.kernel == .text else {
                return try Functions.apply(name, values, type: type, count: count, today: today)
            }
            let outcome = TextFunctions.apply(name, values, count: count)
            if let conversions, !outcome.failed.isEmpty || outcome.note != nil {
                conversions.record(name, failed: outcome.failed.map { (text: values[0].scalar(at: $0), row: Int(rows?[$0] ?? Int32($0))) },
                                   note: outcome.note)
            }
            return outcome.vector
        }
    }

    /// Calls `body` with the decimal values of `expr`: a column's own memory when the
    /// expression is a decimal column and every row is wanted, else evaluated values.
    func withDecimals<R>(_ expr: BoundExpr, _ body: (UnsafeBufferPointer<Double>, [Bool]?) throws(EvaluationError) -> R) throws(EvaluationError) -> R {
        if rows == nil, case .column(let index, .decimal) = expr, case .decimal(let buffer) = table.columns[index].values {
            let column = table.columns[index]
            let nulls: [Bool]? = column.nullCount > 0 ? (0..<column.count).map { !column.validity.isValid($0) } : nil
            return try buffer.withUnsafeBufferPointer { (values: UnsafeBufferPointer<Double>) throws(EvaluationError) in
                try body(values, nulls)
            }
        }
        let vector = try evaluate(expr)
        guard case .decimal(let values) = vector.storage else {
            return try body(UnsafeBufferPointer(start: nil, count: 0), vector.nulls)
        }
        return try values.withUnsafeBufferPointer { (values: UnsafeBufferPointer<Double>) throws(EvaluationError) in
            try body(values, vector.nulls)
        }
    }

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
    private var everyRowEvaluator: Evaluator {
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
    private func rankEntries(_ inner: BoundExpr, tieBreak: Int?) throws(EvaluationError)
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

    // MARK: Columns and constants

    func column(_ column: Column) -> Vector {
        var nulls: [Bool]?
        if column.nullCount > 0 {
            let validity = column.validity
            if let rows {
                nulls = rows.map { !validity.isValid(Int($0)) }
            } else {
                // Word by word: a million rows is a million closure calls otherwise.
                nulls = validity.words.withUnsafeBufferPointer { words in
                    [Bool](unsafeUninitializedCapacity: column.count) { out, initialized in
                        for row in 0..<column.count { out[row] = words[row >> 6] & (1 << UInt64(row & 63)) == 0 }
                        initialized = column.count
                    }
                }
            }
        }
        switch column.values {
        case .integer(let v): return Vector(storage: .integer(gather(v)), nulls: nulls)
        case .decimal(let v): return Vector(storage: .decimal(gather(v)), nulls: nulls)
        case .boolean(let v): return Vector(storage: .boolean(gather(v)), nulls: nulls)
        case .date(let v): return Vector(storage: .date(gather(v)), nulls: nulls)
        case .timestamp(let v): return Vector(storage: .timestamp(gather(v)), nulls: nulls, offsets: column.offsets.map(gather))
        case .string(let strings):
            switch strings.storage {
            case .dictionary(let codes, let values):
                let indexes: [Int32] = codes.withUnsafeBufferPointer { codes in
                    let n = rows?.count ?? codes.count
                    return [Int32](unsafeUninitializedCapacity: n) { out, initialized in
                        if let rows {
                            rows.withUnsafeBufferPointer { rows in
                                for i in 0..<n { out[i] = Int32(bitPattern: codes[Int(rows[i])]) }
                            }
                        } else {
                            for i in 0..<n { out[i] = Int32(bitPattern: codes[i]) }
                        }
                        initialized = n
                    }
                }
                return Vector(storage: .string(StringValues(heap: values, indexes: indexes, unique: true)), nulls: nulls)
            case .plain(let values):
                let indexes = rows ?? (0..<Int32(column.count)).map { $0 }
                return Vector(storage: .string(StringValues(heap: values, indexes: indexes, unique: false)), nulls: nulls)
            }
        }
    }

    private func gather<T>(_ buffer: ValueBuffer<T>) -> [T] {
        buffer.withUnsafeBufferPointer { values in
            guard let rows else { return Array(values) }
            return [T](unsafeUninitializedCapacity: rows.count) { out, initialized in
                for (i, row) in rows.enumerated() { out[i] = values[Int(row)] }
                initialized = rows.count
            }
        }
    }

    func broadcast(_ scalar: Scalar) -> Vector {
        switch scalar {
        case .null: return Vector.allNull(.integer, count: count)
        case .integer(let v): return Vector(storage: .integer(.init(repeating: v, count: count)), nulls: nil)
        case .decimal(let v): return Vector(storage: .decimal(.init(repeating: v, count: count)), nulls: nil)
        case .boolean(let v): return Vector(storage: .boolean(.init(repeating: v, count: count)), nulls: nil)
        case .date(let v): return Vector(storage: .date(.init(repeating: v, count: count)), nulls: nil)
        case .timestamp(let v): return Vector(storage: .timestamp(.init(repeating: v, count: count)), nulls: nil)
        case .string(let s):
            return Vector(storage: .string(StringValues(heap: StringHeap([s]), indexes: .init(repeating: 0, count: count),
                                                         unique: true)), nulls: nil)
        }
    }

    /// Row numbers (of the table) where a condition is true: the selection for a filter.
    func select(_ condition: BoundExpr) throws(EvaluationError) -> [Int32] {
        let v = try evaluate(condition)
        guard case .boolean(let values) = v.storage else { return [] }
        var selected: [Int32] = []
        selected.reserveCapacity(values.count / 4)
        let nulls = v.nulls
        for i in 0..<values.count where values[i] && !(nulls?[i] ?? false) {
            selected.append(rows.map { $0[i] } ?? Int32(i))
        }
        return selected
    }
}

/// The values of definitions used more than once, for one evaluator's rows.
final class SharedValues: @unchecked Sendable {
    var values: [Int: Vector] = [:]
}

/// Null mask of a binary operation: null where either side is.
func combinedNulls(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
    guard let a else { return b }
    guard let b else { return a }
    return zip(a, b).map { $0 || $1 }
}
