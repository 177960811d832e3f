import CustqStore

/// How the key columns of two related tables are compared when they hold different kinds
/// of value (customers keyed `001` as text, orders keyed `1` as whole numbers, or ids read
/// as decimals, `17850.0`): by value. A text key relates to a whole-number key when it is
/// digits alone (leading zeros allowed: `001` is 1); a decimal key when it is whole. Keys
/// of any other kind relate to nothing, and loading the orders says how many match no
/// customer.
enum KeyMatching {
    /// The two columns' keys as vectors of one kind.
    static func comparable(_ a: Column, _ b: Column) -> (Vector, Vector) {
        let first = Evaluator.keyVector(a), second = Evaluator.keyVector(b)
        guard a.type != b.type else { return (first, second) }
        let numbers: Set<ColumnType> = [.integer, .decimal, .string]
        guard numbers.contains(a.type), numbers.contains(b.type), a.type == .integer || b.type == .integer else {
            return (first, second)
        }
        return (wholeNumbers(first), wholeNumbers(second))
    }

    /// Whether the two columns relate by value although their kinds differ.
    static func relatesByValue(_ a: ColumnType, _ b: ColumnType) -> Bool {
        a != b && (a == .integer || b == .integer) && [a, b].allSatisfy { [.integer, .decimal, .string].contains($0) }
    }

    /// Keys as whole numbers: text of digits alone, whole decimals; anything else null.
    static func wholeNumbers(_ keys: Vector) -> Vector {
        switch keys.storage {
        case .integer:
            return keys
        case .decimal(let values):
            var nulls = keys.nulls ?? [Bool](repeating: false, count: values.count)
            let numbers = values.enumerated().map { row, value -> Int64 in
                guard let whole = Int64(exactly: value) else { nulls[row] = true; return 0 }
                return whole
            }
            return Vector(storage: .integer(numbers), nulls: nulls)
        case .string(let strings):
            var nulls = keys.nulls ?? [Bool](repeating: false, count: strings.indexes.count)
            // Each distinct text is read once.
            var valueOf: [Int32: Int64?] = [:]
            let numbers = strings.indexes.enumerated().map { row, index -> Int64 in
                if nulls[row] { return 0 }
                let value: Int64?
                if let known = valueOf[index] {
                    value = known
                } else {
                    value = digitsValue(strings.heap.string(at: Int(index)))
                    if strings.unique { valueOf[index] = value }
                }
                guard let value else { nulls[row] = true; return 0 }
                return value
            }
            return Vector(storage: .integer(numbers), nulls: nulls)
        default:
            return keys
        }
    }

    /// `001` → 1; nil unless the text is ASCII digits alone that fit 64 bits.
    static func digitsValue(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var value: Int64 = 0
        for byte in text.utf8 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 48))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }
}
