import CustqLanguage
import CustqStore

/// `and`, `or` with three-valued logic: false and null = false, true or null = true.
enum Logic {
    static func combine(_ op: BinaryOperator, _ l: Vector, _ r: Vector) -> Vector {
        guard case .boolean(let a) = l.storage, case .boolean(let b) = r.storage else {
            return Vector.allNull(.boolean, count: max(l.count, r.count))
        }
        var out = [Bool](repeating: false, count: a.count)
        if l.nulls == nil, r.nulls == nil {
            if op == .and { for i in a.indices { out[i] = a[i] && b[i] } } else { for i in a.indices { out[i] = a[i] || b[i] } }
            return Vector(storage: .boolean(out), nulls: nil)
        }
        var nulls = [Bool](repeating: false, count: a.count)
        for i in a.indices {
            let an = l.isNull(i), bn = r.isNull(i)
            if op == .and {
                if (!an && !a[i]) || (!bn && !b[i]) { out[i] = false } else if an || bn { nulls[i] = true } else { out[i] = true }
            } else {
                if (!an && a[i]) || (!bn && b[i]) { out[i] = true } else if an || bn { nulls[i] = true } else { out[i] = false }
            }
        }
        return Vector(storage: .boolean(out), nulls: nulls)
    }
}
