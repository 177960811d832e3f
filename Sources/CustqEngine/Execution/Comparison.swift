import CustqLanguage
import CustqStore

/// `= != < <= > >=` and `in (…)` over vectors of one type.
enum Comparison {
    static func compare(_ op: BinaryOperator, _ l: Vector, _ r: Vector) -> Vector {
        let nulls = combinedNulls(l.nulls, r.nulls)
        let result: [Bool]
        switch (l.storage, r.storage) {
        case (.integer(let a), .integer(let b)): result = kernel(op, a, b)
        case (.decimal(let a), .decimal(let b)): result = kernel(op, a, b)
        case (.date(let a), .date(let b)): result = kernel(op, a, b)
        case (.timestamp(let a), .timestamp(let b)): result = kernel(op, a, b)
        case (.boolean(let a), .boolean(let b)): result = kernel(op, a.map { $0 ? 1 : 0 }, b.map { $0 ? 1 : 0 })
        case (.string(let a), .string(let b)): result = strings(op, a, b)
        default: return Vector.allNull(.boolean, count: max(l.count, r.count))
        }
        return Vector(storage: .boolean(result), nulls: nulls)
    }

    /// A vector against one constant: no broadcasting, and text compared once per
    /// distinct string instead of once per row.
    static func compare(_ op: BinaryOperator, _ l: Vector, _ constant: Scalar) -> Vector {
        let result: [Bool]
        switch (l.storage, constant) {
        case (.integer(let a), .integer(let c)): result = kernel(op, a, c)
        case (.decimal(let a), .decimal(let c)): result = kernel(op, a, c)
        case (.date(let a), .date(let c)): result = kernel(op, a, c)
        case (.timestamp(let a), .timestamp(let c)): result = kernel(op, a, c)
        case (.boolean(let a), .boolean(let c)): result = a.map { holds(op, ($0 ? 1 : 0) - (c ? 1 : 0)) }
        case (.string(let a), .string(let c)):
            let constantBytes = Array(c.utf8)
            let answers = (0..<a.heap.count).map { entry in
                a.heap.withBytes(at: entry) { x in constantBytes.withUnsafeBufferPointer { holds(op, bytesCompare(x, $0)) } }
            }
            result = lookUp(answers, a.indexes)
        default:
            return Vector.allNull(.boolean, count: l.count)
        }
        return Vector(storage: .boolean(result), nulls: l.nulls)
    }

    /// `answers[indexes[i]]` for every i, without bounds checks (indexes come from the heap).
    static func lookUp(_ answers: [Bool], _ indexes: [Int32]) -> [Bool] {
        answers.withUnsafeBufferPointer { answers in
            indexes.withUnsafeBufferPointer { indexes in
                [Bool](unsafeUninitializedCapacity: indexes.count) { out, initialized in
                    for i in 0..<indexes.count { out[i] = answers[Int(indexes[i])] }
                    initialized = indexes.count
                }
            }
        }
    }

    @inline(__always)
    static func kernel<T: Comparable>(_ op: BinaryOperator, _ a: [T], _ c: T) -> [Bool] {
        var out = [Bool](repeating: false, count: a.count)
        a.withUnsafeBufferPointer { a in
            switch op {
            case .equal: for i in 0..<a.count { out[i] = a[i] == c }
            case .notEqual: for i in 0..<a.count { out[i] = a[i] != c }
            case .less: for i in 0..<a.count { out[i] = a[i] < c }
            case .lessOrEqual: for i in 0..<a.count { out[i] = a[i] <= c }
            case .greater: for i in 0..<a.count { out[i] = a[i] > c }
            default: for i in 0..<a.count { out[i] = a[i] >= c }
            }
        }
        return out
    }

    @inline(__always)
    static func kernel<T: Comparable>(_ op: BinaryOperator, _ a: [T], _ b: [T]) -> [Bool] {
        // Both sides have one value per row; min() only guards against a binding mistake.
        let n = min(a.count, b.count)
        var out = [Bool](repeating: false, count: n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                switch op {
                case .equal: for i in 0..<n { out[i] = a[i] == b[i] }
                case .notEqual: for i in 0..<n { out[i] = a[i] != b[i] }
                case .less: for i in 0..<n { out[i] = a[i] < b[i] }
                case .lessOrEqual: for i in 0..<n { out[i] = a[i] <= b[i] }
                case .greater: for i in 0..<n { out[i] = a[i] > b[i] }
                default: for i in 0..<n { out[i] = a[i] >= b[i] }
                }
            }
        }
        return out
    }

    /// Strings compare by their UTF-8 bytes.
    static func strings(_ op: BinaryOperator, _ a: StringValues, _ b: StringValues) -> [Bool] {
        return (0..<a.indexes.count).map { i in
            a.heap.withBytes(at: Int(a.indexes[i])) { x in
                b.heap.withBytes(at: Int(b.indexes[i])) { y in holds(op, bytesCompare(x, y)) }
            }
        }
    }

    static func holds(_ op: BinaryOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        default: order >= 0
        }
    }

    static func bytesCompare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        for i in 0..<n where x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    static func inList(_ v: Vector, _ constants: [Scalar], negated: Bool) -> Vector {
        var result: [Bool]
        switch v.storage {
        case .string(let s):
            let wanted = Set(constants.compactMap { if case .string(let t) = $0 { return t } else { return nil } })
            let answers = (0..<s.heap.count).map { wanted.contains(s.heap.string(at: $0)) }
            result = s.indexes.map { answers[Int($0)] }
        case .integer(let values):
            let wanted = Set(constants.compactMap { if case .integer(let x) = $0 { return x } else { return nil } })
            result = values.map { wanted.contains($0) }
        case .decimal(let values):
            let wanted = Set(constants.compactMap(\.asDouble))
            result = values.map { wanted.contains($0) }
        case .date(let values):
            let wanted = Set(constants.compactMap { if case .date(let x) = $0 { return x } else { return nil } })
            result = values.map { wanted.contains($0) }
        case .timestamp(let values):
            let wanted = Set(constants.compactMap { if case .timestamp(let x) = $0 { return x } else { return nil } })
            result = values.map { wanted.contains($0) }
        case .boolean(let values):
            let wanted = Set(constants.compactMap { if case .boolean(let x) = $0 { return x } else { return nil } })
            result = values.map { wanted.contains($0) }
        }
        if negated { result = result.map { !$0 } }
        // SQL: `x in (a, null)` is null rather than false when x matches nothing.
        var nulls = v.nulls
        if constants.contains(.null) {
            var withUnknown = nulls ?? [Bool](repeating: false, count: result.count)
            for i in result.indices where result[i] == negated { withUnknown[i] = true }
            nulls = withUnknown
        }
        return Vector(storage: .boolean(result), nulls: nulls)
    }
}
