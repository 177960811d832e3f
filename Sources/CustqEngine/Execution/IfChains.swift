import CustqStore

extension Evaluator {
    /// An if-chain whose every result is a constant (rfm_segment, rfm_segment_order): the
    /// truth of its conditions (at most 16) for a row selects the constant it reaches, found
    /// once per distinct combination; the result is built once from the constant of each
    /// row, instead of a full vector for every `if` on the way. Nil when some result is not a
    /// constant (the general `if` then applies).
    func constantIfChain(_ expr: BoundExpr, type: ValueType) throws(EvaluationError) -> Vector? {
        struct Node {
            var condition: Int
            /// A node index (≥ 0), or -(leaf + 1).
            var then = 0, otherwise = 0
        }
        var nodes: [Node] = []
        var conditions: [BoundExpr] = []
        var leaves: [Scalar] = []
        func build(_ e: BoundExpr) -> Int? {
            if case .function("if", let arguments, _) = e.unshared, arguments.count == 3 {
                let index = nodes.count
                nodes.append(Node(condition: conditions.count))
                conditions.append(arguments[0])
                guard let then = build(arguments[1]), let otherwise = build(arguments[2]) else { return nil }
                nodes[index].then = then
                nodes[index].otherwise = otherwise
                return index
            }
            guard let scalar = Binder.constantValue(e) else { return nil }
            leaves.append(Binder.convert(scalar, to: type))
            return -leaves.count
        }
        guard let root = build(expr), root >= 0, leaves.count <= Int(Int32.max) else { return nil }
        // A null condition takes the else branch, as in `if`. Each row's conditions become the
        // bits of one word; rows with the same word reach the same constant.
        guard conditions.count <= 16 else { return nil }
        var mask = [UInt16](repeating: 0, count: count)
        for (bit, condition) in conditions.enumerated() {
            let value = try evaluate(condition)
            switch value.storage {
            case .boolean(let holds):
                let flag = UInt16(1) << UInt16(bit)
                mask.withUnsafeMutableBufferPointer { mask in
                    holds.withUnsafeBufferPointer { holds in
                        if let nulls = value.nulls {
                            for row in 0..<mask.count where holds[row] && !nulls[row] { mask[row] |= flag }
                        } else {
                            for row in 0..<mask.count where holds[row] { mask[row] |= flag }
                        }
                    }
                }
            case .integer where value.nulls?.allSatisfy({ $0 }) == true:   // the literal null: never true
                continue
            default:
                return nil
            }
        }
        var leafOfMask = [Int32](repeating: -1, count: 1 << conditions.count)
        func walk(_ word: UInt16) -> Int32 {
            var node = root
            while node >= 0 {
                let step = nodes[node]
                node = word & (1 << UInt16(step.condition)) != 0 ? step.then : step.otherwise
            }
            return Int32(-node - 1)
        }
        let leafOf = mask.map { word -> Int32 in
            let known = leafOfMask[Int(word)]
            if known >= 0 { return known }
            let leaf = walk(word)
            leafOfMask[Int(word)] = leaf
            return leaf
        }
        let nullLeaf = leaves.map { $0 == .null }
        let nulls: [Bool]? = nullLeaf.contains(true) ? leafOf.map { nullLeaf[Int($0)] } : nil
        func values<T>(_ value: (Scalar) -> T?, _ zero: T) -> [T] {
            let perLeaf = leaves.map { value($0) ?? zero }
            return leafOf.map { perLeaf[Int($0)] }
        }
        switch type {
        case .string:
            var distinct: [String] = []
            let heapIndex = leaves.map { leaf -> Int32 in
                guard case .string(let text) = leaf else { return 0 }
                if let known = distinct.firstIndex(of: text) { return Int32(known) }
                distinct.append(text)
                return Int32(distinct.count - 1)
            }
            if distinct.isEmpty { distinct = [""] }
            let indexes = leafOf.map { heapIndex[Int($0)] }
            return Vector(storage: .string(StringValues(heap: StringHeap(distinct), indexes: indexes, unique: true)), nulls: nulls)
        case .integer, .null:
            return Vector(storage: .integer(values({ if case .integer(let v) = $0 { v } else { nil } }, 0)), nulls: nulls)
        case .decimal:
            return Vector(storage: .decimal(values({ $0.doubleValue }, 0)), nulls: nulls)
        case .boolean:
            return Vector(storage: .boolean(values({ if case .boolean(let v) = $0 { v } else { nil } }, false)), nulls: nulls)
        case .date:
            return Vector(storage: .date(values({ if case .date(let v) = $0 { v } else { nil } }, 0)), nulls: nulls)
        case .timestamp:
            return Vector(storage: .timestamp(values({ if case .timestamp(let v) = $0 { v } else { nil } }, 0)), nulls: nulls)
        }
    }
}
