import CustqStore

/// The values of one expression for a set of rows (or for the groups of a grouped query).
/// Plain typed arrays plus an optional null mask: what the evaluator's kernels work on.
struct Vector {
    enum Storage {
        case integer([Int64])
        case decimal([Double])
        case boolean([Bool])
        case date([Int32])
        case timestamp([Int64])
        case string(StringValues)
    }

    var storage: Storage
    /// `nulls[i]` is true when row i is null; nil when no row is.
    var nulls: [Bool]?
    /// For timestamps read from a column that kept their UTC offsets: each row's offset in
    /// seconds (`Column.noOffset` for none), so the row's own date and time can be shown and
    /// taken (see `Column.offsets`). Nil otherwise; computed timestamps have none.
    var offsets: [Int32]?

    init(storage: Storage, nulls: [Bool]?, offsets: [Int32]? = nil) {
        self.storage = storage
        self.nulls = nulls
        self.offsets = offsets
    }

    /// The offset of row `i` in seconds, nil when it has none.
    @inline(__always)
    func offset(_ i: Int) -> Int? {
        guard let offsets, offsets[i] != Column.noOffset else { return nil }
        return Int(offsets[i])
    }

    var count: Int {
        switch storage {
        case .integer(let v): v.count
        case .decimal(let v): v.count
        case .boolean(let v): v.count
        case .date(let v): v.count
        case .timestamp(let v): v.count
        case .string(let v): v.indexes.count
        }
    }

    @inline(__always)
    func isNull(_ i: Int) -> Bool { nulls?[i] ?? false }

    /// The type of the values held.
    var type: ValueType {
        switch storage {
        case .integer: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .date: .date
        case .timestamp: .timestamp
        case .string: .string
        }
    }

    /// All-null vector of a type (the literal `null` is an integer null).
    static func allNull(_ type: ValueType, count: Int) -> Vector {
        let nulls = [Bool](repeating: true, count: count)
        switch type {
        case .decimal: return Vector(storage: .decimal(.init(repeating: 0, count: count)), nulls: nulls)
        case .boolean: return Vector(storage: .boolean(.init(repeating: false, count: count)), nulls: nulls)
        case .date: return Vector(storage: .date(.init(repeating: 0, count: count)), nulls: nulls)
        case .timestamp: return Vector(storage: .timestamp(.init(repeating: 0, count: count)), nulls: nulls)
        case .string: return Vector(storage: .string(StringValues(strings: Array(repeating: "", count: count))), nulls: nulls)
        case .integer, .null: return Vector(storage: .integer(.init(repeating: 0, count: count)), nulls: nulls)
        }
    }

    /// Numbers as doubles (integers converted), for aggregates.
    var doubles: [Double]? {
        switch storage {
        case .decimal(let v): v
        case .integer(let v): v.map(Double.init)
        default: nil
        }
    }

    func scalar(at i: Int) -> Scalar {
        if isNull(i) { return .null }
        switch storage {
        case .integer(let v): return .integer(v[i])
        case .decimal(let v): return .decimal(v[i])
        case .boolean(let v): return .boolean(v[i])
        case .date(let v): return .date(v[i])
        case .timestamp(let v): return .timestamp(v[i])
        case .string(let v): return .string(v.string(at: i))
        }
    }

    /// The rows `picks` of this vector, in that order.
    func gather(_ picks: [Int]) -> Vector {
        let nulls = self.nulls.map { n in picks.map { n[$0] } }
        switch storage {
        case .integer(let v): return Vector(storage: .integer(picks.map { v[$0] }), nulls: nulls)
        case .decimal(let v): return Vector(storage: .decimal(picks.map { v[$0] }), nulls: nulls)
        case .boolean(let v): return Vector(storage: .boolean(picks.map { v[$0] }), nulls: nulls)
        case .date(let v): return Vector(storage: .date(picks.map { v[$0] }), nulls: nulls)
        case .timestamp(let v):
            return Vector(storage: .timestamp(picks.map { v[$0] }), nulls: nulls, offsets: offsets.map { o in picks.map { o[$0] } })
        case .string(let v):
            return Vector(storage: .string(StringValues(heap: v.heap, indexes: picks.map { v.indexes[$0] }, unique: v.unique)),
                          nulls: nulls)
        }
    }

    /// The vector as a result column.
    /// Decimal values where nil is null.
    static func decimals(_ values: [Double?]) -> Vector {
        Vector(storage: .decimal(values.map { $0 ?? 0 }), nulls: values.contains(where: { $0 == nil }) ? values.map { $0 == nil } : nil)
    }

    func column(named name: String) -> Column {
        var validity = ValidityBitmap(count: count, allValid: true)
        if nulls != nil {
            validity = ValidityBitmap()
            validity.reserveCapacity(count)
            for i in 0..<count { validity.append(!isNull(i)) }
        }
        switch storage {
        case .integer(let v): return Column(name: name, values: .integer(ValueBuffer(v)), validity: validity)
        case .decimal(let v): return Column(name: name, values: .decimal(ValueBuffer(v)), validity: validity)
        case .boolean(let v): return Column(name: name, values: .boolean(ValueBuffer(v)), validity: validity)
        case .date(let v): return Column(name: name, values: .date(ValueBuffer(v)), validity: validity)
        case .timestamp(let v):
            var column = Column(name: name, values: .timestamp(ValueBuffer(v)), validity: validity)
            column.offsets = offsets.map { ValueBuffer($0) }
            return column
        case .string(let v):
            if v.unique {
                return Column(name: name, values: .string(StringColumn(storage: .dictionary(
                    codes: ValueBuffer(v.indexes.map { UInt32($0) }), values: v.heap))), validity: validity)
            }
            return Column(name: name, values: .string(StringColumn(storage: .plain(values: StringHeap(
                (0..<count).map { v.string(at: $0) })))), validity: validity)
        }
    }
}
