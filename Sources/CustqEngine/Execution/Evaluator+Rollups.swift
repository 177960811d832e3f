import CustqStore

extension Evaluator {
    /// The roll-up's aggregate for each evaluated row: the other table's rows are grouped by
    /// their key (a hash table over the key values), aggregated once, and each row here
    /// looks its key up. Rows with no related rows get 0 for count and null otherwise.
    func rollup(_ rollup: Rollup) throws(EvaluationError) -> Vector {
        let other = context.table(named: rollup.table)
        let otherEvaluator = Evaluator(table: other, rows: nil, context: context.with(table))
        let cutoff = rollup.cutoff.map { (other.columns[$0.dateColumn], $0.day) }
        let relation = try relation(from: table.columns[rollup.keyHere], to: other.columns[rollup.keyThere], cutoff: cutoff)
        let argument = try rollup.call.argument.map { (expr: BoundExpr) throws(EvaluationError) in try otherEvaluator.evaluate(expr) }
        let perKey = try Aggregates.compute(rollup.call, argument: argument, grouping: relation.grouping)
        // Each row here takes its key's value: the relation maps every table row to a group.
        let count = rows?.count ?? table.rowCount
        guard perKey.count > 0 else { return Vector.allNull(rollup.call.type, count: count) }
        let picks = rows.map { $0.map { relation.groupOfRow[Int($0)] } } ?? relation.groupOfRow
        let missing = picks.map { $0 < 0 }
        var result = perKey.gather(picks.map { max(0, $0) })
        if rollup.call.kind == .count || rollup.call.kind == .countIf || rollup.call.kind == .distinct {
            if case .integer(var counts) = result.storage {
                for row in missing.indices where missing[row] { counts[row] = 0 }
                result = Vector(storage: .integer(counts), nulls: nil)
            }
        } else if missing.contains(true) {
            var nulls = result.nulls ?? [Bool](repeating: false, count: count)
            for row in missing.indices where missing[row] { nulls[row] = true }
            result.nulls = nulls
        }
        return result
    }

    /// The looked-up column for each evaluated row (null where no related row has the key).
    func lookup(_ lookup: Lookup) throws(EvaluationError) -> Vector {
        let other = context.table(named: lookup.table)
        let relation = try relation(from: table.columns[lookup.keyHere], to: other.columns[lookup.keyThere])
        let groups = rows.map { $0.map { relation.groupOfRow[Int($0)] } } ?? relation.groupOfRow
        // A group's representative is its first related row: with one row per key, the row.
        let otherRows = groups.map { $0 < 0 ? Int32(0) : Int32(relation.grouping.representative[$0]) }
        var values = Evaluator(table: other, rows: otherRows).column(other.columns[lookup.column])
        if groups.contains(where: { $0 < 0 }) {
            var nulls = values.nulls ?? [Bool](repeating: false, count: groups.count)
            for (i, group) in groups.enumerated() where group < 0 { nulls[i] = true }
            values.nulls = nulls
        }
        return values
    }

    /// The relation between two key columns, from the session's cache when there is one;
    /// building it stops at Ctrl-C.
    func relation(from here: Column, to there: Column, cutoff: (dates: Column, day: Int32)? = nil) throws(EvaluationError) -> Relation {
        let stop = StopCheck(shouldStop)
        if let relations { return try relations.relation(from: here, to: there, cutoff: cutoff, stop: stop) }
        return try Relation(here: here, there: there, cutoff: cutoff, stop: stop)
    }

    /// A key column's values, all rows.
    static func keyVector(_ column: Column) -> Vector {
        Evaluator(table: Table(name: "", columns: [column], rowCount: column.count), rows: nil).column(column)
    }

    /// The column's values at `rows`, under its name, keeping what the file said of it
    /// (unit, reading, description): a table's rows picked or regrouped.
    static func gathered(_ column: Column, rows: [Int]) -> Column {
        var picked = keyVector(column).gather(rows).column(named: column.name)
        picked.unit = column.unit
        picked.reading = column.reading
        picked.description = column.description
        return picked
    }

    /// Key values as 64-bit patterns for hashing (integers, dates, text through its heap).
    static func keyBits(_ v: Vector) -> [UInt64] {
        switch v.storage {
        case .integer(let x): return x.map { UInt64(bitPattern: $0) }
        case .decimal(let x): return x.map { ($0 == 0 ? 0.0 : $0).bitPattern }
        case .date(let x): return x.map { UInt64(UInt32(bitPattern: $0)) }
        case .timestamp(let x): return x.map { UInt64(bitPattern: $0) }
        case .boolean(let x): return x.map { $0 ? 1 : 0 }
        case .string(let s):
            // Text keys hash by content so equal text in two heaps matches.
            let hashes = (0..<s.heap.count).map { entry in s.heap.withBytes(at: entry) { Self.hashBytes($0) } }
            return s.indexes.map { hashes[Int($0)] }
        }
    }

    static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }
}

extension Column {
    /// The first and last day of a date column, nulls left out; nil for other columns and
    /// for a column of nulls.
    var wholeDayRange: (low: Int32, high: Int32)? {
        guard case .date(let values) = self.values else { return nil }
        return range(of: values)
    }

    /// The smallest and largest value of a whole-number column, nulls left out; nil for other
    /// columns and for a column of nulls (dense ids can then index an array).
    var wholeNumberRange: (low: Int64, high: Int64)? {
        guard case .integer(let values) = self.values else { return nil }
        return range(of: values)
    }

    private func range<T: FixedWidthInteger>(of values: ValueBuffer<T>) -> (low: T, high: T)? {
        var low = T.max, high = T.min
        values.withUnsafeBufferPointer { values in
            for row in 0..<values.count where nullCount == 0 || !isNull(row) {
                low = min(low, values[row])
                high = max(high, values[row])
            }
        }
        return low <= high ? (low, high) : nil
    }
}
