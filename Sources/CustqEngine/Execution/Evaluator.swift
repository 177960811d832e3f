import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            return try sharedValue(shared)
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
            return try self.lookup(lookup)
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
                return try e.call("if", arguments, type: type)
            }
        case .total(let inner):
            return Vector(storage: .decimal(.init(repeating: try everyRowEvaluator.sum(inner), count: count)), nulls: nil)
        case .toDecimal(let inner):
            let v = try evaluate(inner)
            if case .integer(let values) = v.storage { return Vector(storage: .decimal(values.map(Double.init)), nulls: v.nulls) }
            return v
        case .negate(let inner, _):
            return try Self.negated(try evaluate(inner))
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
            return try call(name, arguments, type: type)
        }
    }

    /// A shared definition's values, worked out once per query when it is used more than once.
    private func sharedValue(_ shared: SharedExpr) throws(EvaluationError) -> Vector {
        guard shared.uses > 1 else { return try evaluate(shared.expr) }
        if let known = sharedValues.values[shared.id] { return known }
        let value = try evaluate(shared.expr)
        sharedValues.values[shared.id] = value
        return value
    }

    /// `-x`: an integer that has no negative (the smallest Int64) is an overflow.
    private static func negated(_ v: Vector) throws(EvaluationError) -> Vector {
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
    }

    /// A built-in function on its evaluated arguments; the text conversions record the
    /// values they could not read, said under the result.
    private func call(_ name: String, _ arguments: [BoundExpr], type: ValueType) throws(EvaluationError) -> Vector {
        var values: [Vector] = []
        for argument in arguments { values.append(try evaluate(argument)) }
        switch FunctionRegistry.named(name)?.kernel {
        case .values(let kernel)?:
            return try kernel(values, Functions.Context(type: type, count: count, today: today))
        case .text(let kernel)?:
            return recorded(name, kernel(values, count), arguments: values)
        case .own?, nil:
            preconditionFailure("\(name) is bound to a plan step of its own, not called per row")
        }
    }

    /// A text kernel's values; the values it could not read, and how it read them, are
    /// recorded for the result's notes.
    private func recorded(_ name: String, _ outcome: TextFunctions.Outcome, arguments values: [Vector]) -> Vector {
        if let conversions, !outcome.failed.isEmpty || outcome.note != nil {
            conversions.record(name, failed: outcome.failed.map { (text: values[0].scalar(at: $0), row: Int(rows?[$0] ?? Int32($0))) },
                               note: outcome.note)
        }
        return outcome.vector
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
