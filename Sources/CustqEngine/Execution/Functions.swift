import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernels of the row functions `abs round floor ceil sqrt ln exp coalesce if year
/// month days_between today lower upper length`, one per function, named by its entry in
/// FunctionRegistry.
enum Functions {
    /// What every kernel is given besides its arguments' values.
    struct Context {
        /// The type the binder gave the call's value.
        let type: ValueType
        /// Rows evaluated.
        let count: Int
        /// The as-of date, for `today()`.
        let today: Int32
    }

    typealias Kernel = @Sendable (_ args: [Vector], _ context: Context) throws(EvaluationError) -> Vector

    static func abs(_ args: [Vector], _ context: Context) throws(EvaluationError) -> Vector {
        switch args[0].storage {
        case .integer(let v):
            var out = [Int64](repeating: 0, count: v.count)
            for i in v.indices {
                if v[i] == .min && !args[0].isNull(i) { throw .overflow }
                out[i] = v[i] == .min ? 0 : Swift.abs(v[i])
            }
            return Vector(storage: .integer(out), nulls: args[0].nulls)
        default: return mapDecimal(args[0]) { Swift.abs($0) }
        }
    }

    /// `round`, `floor` and `ceil`: to whole numbers, or to `args[1]` digits.
    static func rounding(_ rule: FloatingPointRoundingRule) -> Kernel {
        { args, context in
            if case .integer = args[0].storage, args.count == 1 { return args[0] }
            let digits: [Int64]? = args.count == 2 ? { if case .integer(let d) = args[1].storage { return d } else { return nil } }() : nil
            let source = toDecimal(args[0])
            guard case .decimal(let v) = source.storage else { return source }
            var out = [Double](repeating: 0, count: v.count)
            for i in v.indices {
                let scale = digits.map { pow(10, Double(max(-15, min(15, $0[i])))) } ?? 1
                out[i] = (v[i] * scale).rounded(rule) / scale
            }
            let nulls = args.count == 2 ? combinedNulls(args[0].nulls, args[1].nulls) : args[0].nulls
            if context.type == .integer { return Vector(storage: .integer(out.map { Int64(exactly: $0) ?? 0 }), nulls: nulls) }
            return Vector(storage: .decimal(out), nulls: nulls)
        }
    }

    static func sqrt(_ args: [Vector], _: Context) -> Vector { mapDecimal(args[0], nullWhen: { $0 < 0 }) { $0.squareRoot() } }
    static func ln(_ args: [Vector], _: Context) -> Vector { mapDecimal(args[0], nullWhen: { $0 <= 0 }) { log($0) } }
    static func exp(_ args: [Vector], _: Context) -> Vector {
        mapDecimal(args[0], nullWhen: { Glibc.exp($0).isInfinite }) { Glibc.exp($0) }
    }

    static func year(_ args: [Vector], _: Context) -> Vector { datePart(args[0]) { $0.year } }
    static func month(_ args: [Vector], _: Context) -> Vector { datePart(args[0]) { $0.month } }

    private static func datePart(_ dates: Vector, _ part: ((year: Int, month: Int, day: Int)) -> Int) -> Vector {
        let values = dayNumbers(dates).map { day in Int64(part(CivilDate.components(ofDay: Int(day)))) }
        return Vector(storage: .integer(values), nulls: dates.nulls)
    }

    static func daysBetween(_ args: [Vector], _: Context) -> Vector {
        let a = dayNumbers(args[0]), b = dayNumbers(args[1])
        return Vector(storage: .integer(zip(a, b).map { Int64($1) - Int64($0) }),
                      nulls: combinedNulls(args[0].nulls, args[1].nulls))
    }

    static func today(_: [Vector], _ context: Context) -> Vector {
        Vector(storage: .date(.init(repeating: context.today, count: context.count)), nulls: nil)
    }

    /// `lower` and `upper`: each distinct text mapped once.
    static func cased(_ change: @escaping @Sendable (String) -> String) -> Kernel {
        { args, _ in
            guard case .string(let s) = args[0].storage else { return args[0] }
            let mapped = (0..<s.heap.count).map { change(s.heap.string(at: $0)) }
            return Vector(storage: .string(StringValues(strings: s.indexes.map { mapped[Int($0)] })), nulls: args[0].nulls)
        }
    }

    static func length(_ args: [Vector], _: Context) -> Vector {
        guard case .string(let s) = args[0].storage else { return args[0] }
        let lengths = (0..<s.heap.count).map { Int64(s.heap.string(at: $0).count) }
        return Vector(storage: .integer(s.indexes.map { lengths[Int($0)] }), nulls: args[0].nulls)
    }

    static func ifThenElse(_ args: [Vector], _ context: Context) -> Vector {
        if case .boolean(let condition) = args[0].storage, let chosen = select(condition, args[0].nulls, args[1], args[2]) {
            return chosen
        }
        return choose(count: context.count, type: context.type) { i in
            let condition = args[0]
            if case .boolean(let c) = condition.storage, !condition.isNull(i), c[i] { return (args[1], i) }
            return (args[2], i)
        }
    }

    static func coalesce(_ args: [Vector], _ context: Context) -> Vector {
        choose(count: context.count, type: context.type) { i in
            for arg in args where !arg.isNull(i) { return (arg, i) }
            return (args[args.count - 1], i)
        }
    }

    /// `if` a whole column at a time: row i from `a` where the condition holds, else from `b`.
    /// Text branches are merged through their heaps' distinct values, so no String per row.
    static func select(_ condition: [Bool], _ conditionNulls: [Bool]?, _ a: Vector, _ b: Vector) -> Vector? {
        let n = condition.count
        guard a.count == n, b.count == n else { return nil }
        var take = condition
        if let conditionNulls { for i in 0..<n where conditionNulls[i] { take[i] = false } }
        var nulls: [Bool]?
        if a.nulls != nil || b.nulls != nil {
            nulls = (0..<n).map { take[$0] ? a.isNull($0) : b.isNull($0) }
        }
        func pick<T>(_ x: [T], _ y: [T]) -> [T] { (0..<n).map { take[$0] ? x[$0] : y[$0] } }
        switch (a.storage, b.storage) {
        case (.integer(let x), .integer(let y)): return Vector(storage: .integer(pick(x, y)), nulls: nulls)
        case (.decimal(let x), .decimal(let y)): return Vector(storage: .decimal(pick(x, y)), nulls: nulls)
        case (.boolean(let x), .boolean(let y)): return Vector(storage: .boolean(pick(x, y)), nulls: nulls)
        case (.date(let x), .date(let y)): return Vector(storage: .date(pick(x, y)), nulls: nulls)
        case (.timestamp(let x), .timestamp(let y)): return Vector(storage: .timestamp(pick(x, y)), nulls: nulls)
        case (.string(let x), .string(let y)):
            // One heap of the distinct strings of both branches; each branch entry maps to it.
            var positions: [String: Int32] = [:]
            var distinct: [String] = []
            func mapping(_ values: StringValues) -> [Int32] {
                (0..<values.heap.count).map { entry in
                    let text = values.heap.string(at: entry)
                    if let code = positions[text] { return code }
                    let code = Int32(distinct.count)
                    positions[text] = code
                    distinct.append(text)
                    return code
                }
            }
            let fromA = mapping(x), fromB = mapping(y)
            let indexes = (0..<n).map { take[$0] ? fromA[Int(x.indexes[$0])] : fromB[Int(y.indexes[$0])] }
            return Vector(storage: .string(StringValues(heap: StringHeap(distinct), indexes: indexes, unique: true)), nulls: nulls)
        default:
            // A null branch (the literal null) takes the other branch's type.
            if case .integer = a.storage, a.nulls?.allSatisfy({ $0 }) == true {
                return select(condition, conditionNulls, Vector.allNull(b.type, count: n), b)
            }
            if case .integer = b.storage, b.nulls?.allSatisfy({ $0 }) == true {
                return select(condition, conditionNulls, a, Vector.allNull(a.type, count: n))
            }
            return nil
        }
    }

    static func toDecimal(_ v: Vector) -> Vector {
        if case .integer(let values) = v.storage { return Vector(storage: .decimal(values.map(Double.init)), nulls: v.nulls) }
        return v
    }

    static func mapDecimal(_ v: Vector, nullWhen: ((Double) -> Bool)? = nil, _ f: (Double) -> Double) -> Vector {
        guard case .decimal(let values) = toDecimal(v).storage else { return v }
        var nulls = v.nulls
        if let nullWhen {
            for i in values.indices where nullWhen(values[i]) {
                if nulls == nil { nulls = [Bool](repeating: false, count: values.count) }
                nulls![i] = true
            }
        }
        return Vector(storage: .decimal(values.map(f)), nulls: nulls)
    }

    static func dayNumbers(_ v: Vector) -> [Int32] {
        switch v.storage {
        case .date(let days): return days
        case .timestamp(let micros):
            // A row's own date: at its offset when it gave one (an order placed at 21:20 in New
            // York on the 5th is on the 5th, though it was the 6th in UTC).
            return micros.indices.map { CivilDate.day(ofTimestamp: micros[$0], offset: v.offset($0)) }
        default: return [Int32](repeating: 0, count: v.count)
        }
    }

    /// Builds a vector taking row i from the vector `pick(i)` names.
    static func choose(count: Int, type: ValueType, _ pick: (Int) -> (Vector, Int)) -> Vector {
        var scalars: [Scalar] = []
        scalars.reserveCapacity(count)
        for i in 0..<count {
            let (source, row) = pick(i)
            scalars.append(source.scalar(at: row))
        }
        return vector(scalars, type: type)
    }

    /// A vector from scalars of one type (nulls allowed).
    static func vector(_ scalars: [Scalar], type: ValueType) -> Vector {
        let nulls = scalars.map { $0 == .null }
        let anyNull: [Bool]? = nulls.contains(true) ? nulls : nil
        switch type {
        case .decimal: return Vector(storage: .decimal(scalars.map { $0.asDouble ?? 0 }), nulls: anyNull)
        case .boolean: return Vector(storage: .boolean(scalars.map { if case .boolean(let b) = $0 { return b } else { return false } }), nulls: anyNull)
        case .date: return Vector(storage: .date(scalars.map { if case .date(let d) = $0 { return d } else { return 0 } }), nulls: anyNull)
        case .timestamp: return Vector(storage: .timestamp(scalars.map { if case .timestamp(let t) = $0 { return t } else { return 0 } }), nulls: anyNull)
        case .string: return Vector(storage: .string(StringValues(strings: scalars.map { if case .string(let s) = $0 { return s } else { return "" } })), nulls: anyNull)
        case .integer, .null: return Vector(storage: .integer(scalars.map { if case .integer(let x) = $0 { return x } else { return 0 } }), nulls: anyNull)
        }
    }
}
