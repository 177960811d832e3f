import CustqLanguage
import CustqStore

/// `+ - * / %` over vectors. Integers check for overflow; division by zero gives null.
enum Arithmetic {
    /// `a op b` for decimals (`+ - * /`); division by zero gives null.
    static func decimals(_ op: BinaryOperator, _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
                         nulls: [Bool]?) -> Vector {
        let n = min(a.count, b.count)
        var zeroNulls: [Bool]?
        let out = [Double](unsafeUninitializedCapacity: n) { out, initialized in
            switch op {
            case .add: for i in 0..<n { out[i] = a[i] + b[i] }
            case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
            case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
            default:
                for i in 0..<n {
                    if b[i] == 0 {
                        if zeroNulls == nil { zeroNulls = nulls ?? [Bool](repeating: false, count: n) }
                        zeroNulls![i] = true
                        out[i] = 0
                    } else {
                        out[i] = a[i] / b[i]
                    }
                }
            }
            initialized = n
        }
        return Vector(storage: .decimal(out), nulls: zeroNulls ?? nulls)
    }

    static func apply(_ op: BinaryOperator, _ l: Vector, _ r: Vector, type: ValueType) throws(EvaluationError) -> Vector {
        var nulls = combinedNulls(l.nulls, r.nulls)
        switch (l.storage, r.storage) {
        case (.decimal(let a), .decimal(let b)):
            var out = [Double](repeating: 0, count: a.count)
            switch op {
            case .add: for i in a.indices { out[i] = a[i] + b[i] }
            case .subtract: for i in a.indices { out[i] = a[i] - b[i] }
            case .multiply: for i in a.indices { out[i] = a[i] * b[i] }
            case .divide, .remainder:
                var zeroNulls = nulls ?? [Bool](repeating: false, count: a.count)
                var sawZero = false
                for i in a.indices {
                    if b[i] == 0 {
                        zeroNulls[i] = true
                        sawZero = true
                    } else {
                        out[i] = op == .divide ? a[i] / b[i] : a[i].truncatingRemainder(dividingBy: b[i])
                    }
                }
                if sawZero || nulls != nil { nulls = zeroNulls }
            default: break
            }
            return Vector(storage: .decimal(out), nulls: nulls)
        case (.integer(let a), .integer(let b)):
            var out = [Int64](repeating: 0, count: a.count)
            var zeroNulls: [Bool]?
            for i in a.indices {
                let (value, overflow): (Int64, Bool)
                switch op {
                case .add: (value, overflow) = a[i].addingReportingOverflow(b[i])
                case .subtract: (value, overflow) = a[i].subtractingReportingOverflow(b[i])
                case .multiply: (value, overflow) = a[i].multipliedReportingOverflow(by: b[i])
                default:
                    if b[i] == 0 {
                        if zeroNulls == nil { zeroNulls = nulls ?? [Bool](repeating: false, count: a.count) }
                        zeroNulls![i] = true
                        continue
                    }
                    // Int64.min % -1 is 0 (the quotient overflows, the remainder does not).
                    (value, overflow) = b[i] == -1 ? (0, false) : a[i].remainderReportingOverflow(dividingBy: b[i])
                }
                if overflow && !(nulls?[i] ?? false) { throw .overflow }
                out[i] = value
            }
            return Vector(storage: .integer(out), nulls: zeroNulls ?? nulls)
        case (.date(let a), .date(let b)):
            return Vector(storage: .integer(zip(a, b).map { Int64($0) - Int64($1) }), nulls: nulls)
        case (.date(let a), .integer(let b)):
            var out = [Int32](repeating: 0, count: a.count)
            for i in a.indices {
                let days = op == .add ? Int64(a[i]) + b[i] : Int64(a[i]) - b[i]
                guard let day = Int32(exactly: days), CivilDate.representable(day: day) else {
                    if nulls?[i] ?? false { continue }
                    throw .dateOutOfRange
                }
                out[i] = day
            }
            return Vector(storage: .date(out), nulls: nulls)
        default:
            // Only reachable with a null-typed side: the result is all null.
            return Vector.allNull(type, count: max(l.count, r.count))
        }
    }
}
