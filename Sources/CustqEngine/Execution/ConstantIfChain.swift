import CustqStore

extension Evaluator {
    /// An if-chain whose every result is a constant (rfm_segment, rfm_segment_order): the
    /// truth of its conditions (at most 16) for a row selects the constant it reaches, found
    /// once per distinct combination; the result is built once from the constant of each
    /// row, instead of a full vector for every `if` on the way. Nil when some result is not a
    /// constant (the general `if` then applies).
    func constantIfChain(_ expr: BoundExpr, type: ValueType) throws(EvaluationError) -> Vector? {
        guard let chain = ConstantIfChain(expr, type: type),
              let mask = try conditionBits(chain.conditions) else { return nil }
        return chain.values(leafOfRows: chain.leaves(of: mask))
    }

    /// Each row's conditions as the bits of one word; a null condition is not true (it
    /// takes the else branch, as in `if`). Nil when a condition is not a boolean.
    private func conditionBits(_ conditions: [BoundExpr]) throws(EvaluationError) -> [UInt16]? {
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
        return mask
    }
}

/// An if-chain with constant results, as a decision tree over its conditions.
struct ConstantIfChain {
    struct Node {
        var condition: Int
        /// A node index (≥ 0), or -(leaf + 1).
        var then = 0, otherwise = 0
    }
    private(set) var nodes: [Node] = []
    private(set) var conditions: [BoundExpr] = []
    /// The constants the chain can give, converted to its type.
    private(set) var constants: [Scalar] = []
    private var root = 0
    let type: ValueType

    /// Nil unless every result is a constant and there are at most 16 conditions.
    init?(_ expr: BoundExpr, type: ValueType) {
        self.type = type
        guard let root = build(expr), root >= 0, constants.count <= Int(Int32.max), conditions.count <= 16 else { return nil }
        self.root = root
    }

    private mutating func build(_ e: BoundExpr) -> Int? {
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
        constants.append(Binder.convert(scalar, to: type))
        return -constants.count
    }

    /// The constant each row reaches, by the truth of its conditions (`mask`), walking the
    /// tree once per distinct word.
    func leaves(of mask: [UInt16]) -> [Int32] {
        var leafOfMask = [Int32](repeating: -1, count: 1 << conditions.count)
        return mask.map { word -> Int32 in
            let known = leafOfMask[Int(word)]
            if known >= 0 { return known }
            var node = root
            while node >= 0 {
                let step = nodes[node]
                node = word & (1 << UInt16(step.condition)) != 0 ? step.then : step.otherwise
            }
            leafOfMask[Int(word)] = Int32(-node - 1)
            return Int32(-node - 1)
        }
    }

    /// The chain's result: the constant of each row.
    func values(leafOfRows leafOf: [Int32]) -> Vector {
        let nullLeaf = constants.map { $0 == .null }
        let nulls: [Bool]? = nullLeaf.contains(true) ? leafOf.map { nullLeaf[Int($0)] } : nil
        func values<T>(_ value: (Scalar) -> T?, _ zero: T) -> [T] {
            let perLeaf = constants.map { value($0) ?? zero }
            return leafOf.map { perLeaf[Int($0)] }
        }
        switch type {
        case .string:
            var distinct: [String] = []
            let heapIndex = constants.map { leaf -> Int32 in
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
