import CustqResult
import CustqStore

/// Conversions for what inference cannot know (`date(x, '%d/%m/%Y')`, `number(x)`,
/// `integer(x)`, `text(x)`), text functions (`like`, `contains`, `substr`, `replace`,
/// `trim`, `concat`, `||`) and `month_of`. Each behaves as DuckDB's function of the same
/// name does on the same values (tests/duckdb/check_functions.py holds them to it).
///
/// Work is done once per distinct text (a column's dictionary), not once per row.
enum TextFunctions {
    /// What a function gave, and the rows (of the vector) whose value did not convert.
    struct Outcome {
        var vector: Vector
        var failed: [Int] = []
        /// What the values left open and how it was decided (`1/2/2024` read month first).
        var note: ResultNote?
    }

    typealias Kernel = @Sendable (_ args: [Vector], _ count: Int) -> Outcome

    static func date(_ args: [Vector], _: Int) -> Outcome { dates(args, timestamps: false) }
    static func timestamp(_ args: [Vector], _: Int) -> Outcome { dates(args, timestamps: true) }
    static func number(_ args: [Vector], _: Int) -> Outcome { number(args[0]) }
    static func integer(_ args: [Vector], _: Int) -> Outcome { integer(args[0]) }
    static func text(_ args: [Vector], _: Int) -> Outcome { Outcome(vector: text(args[0])) }

    static func monthOf(_ args: [Vector], _: Int) -> Outcome {
        let days = Functions.dayNumbers(args[0]).map { day -> Int32 in
            let c = CivilDate.components(ofDay: Int(day))
            return Int32(CivilDate.dayNumber(year: c.year, month: c.month, day: 1))
        }
        return Outcome(vector: Vector(storage: .date(days), nulls: args[0].nulls))
    }

    /// `like` and `ilike`: a constant pattern is compiled once.
    static func like(folded: Bool) -> Kernel {
        { args, count in
            if let pattern = constantString(args[1]) {
                let compiled = Pattern(pattern, folded: folded)
                return Outcome(vector: booleans(args[0], count: count) { compiled.matches(folded ? $0.lowercased() : $0) })
            }
            return Outcome(vector: rows(args, count: count, type: .boolean) { values in
                guard case .string(let a) = values[0], case .string(let b) = values[1] else { return .null }
                return .boolean(Pattern(b, folded: folded).matches(folded ? a.lowercased() : a))
            })
        }
    }

    /// `contains`, `starts_with`, `ends_with`: whether `test(s, t)` holds.
    static func textTest(_ test: @escaping @Sendable (String, String) -> Bool) -> Kernel {
        { args, count in
            if let part = constantString(args[1]) {
                return Outcome(vector: booleans(args[0], count: count) { test($0, part) })
            }
            return Outcome(vector: rows(args, count: count, type: .boolean) { values in
                guard case .string(let a) = values[0], case .string(let b) = values[1] else { return .null }
                return .boolean(test(a, b))
            })
        }
    }

    static func substr(_ args: [Vector], _ count: Int) -> Outcome {
        Outcome(vector: rows(args, count: count, type: .string) { values in
            guard case .string(let s) = values[0], case .integer(let start) = values[1] else { return .null }
            var length: Int64?
            if values.count == 3 {
                guard case .integer(let l) = values[2] else { return .null }
                length = l
            }
            return .string(substring(s, start: start, length: length))
        })
    }

    static func replace(_ args: [Vector], _ count: Int) -> Outcome {
        if let from = constantString(args[1]), let to = constantString(args[2]) {
            return Outcome(vector: texts(args[0], count: count) { from.isEmpty ? $0 : $0.replacing(from, with: to) })
        }
        return Outcome(vector: rows(args, count: count, type: .string) { values in
            guard case .string(let s) = values[0], case .string(let from) = values[1], case .string(let to) = values[2] else { return .null }
            return .string(from.isEmpty ? s : s.replacing(from, with: to))
        })
    }

    static func trim(_ args: [Vector], _ count: Int) -> Outcome {
        Outcome(vector: texts(args[0], count: count) { text -> String in
            let scalars = text.unicodeScalars
            guard let first = scalars.firstIndex(where: { $0 != " " }) else { return "" }
            let last = scalars.lastIndex(where: { $0 != " " })!
            return String(scalars[first...last])
        })
    }

    static func concat(_ args: [Vector], _ count: Int) -> Outcome {
        Outcome(vector: rows(args.map { text($0) }, count: count, type: .string, nullsIn: .skipped) { values in
            .string(values.map { if case .string(let s) = $0 { s } else { "" } }.joined())
        })
    }

    /// `a || b`: null when either is.
    static func joined(_ args: [Vector], _ count: Int) -> Outcome {
        Outcome(vector: rows(args.map { text($0) }, count: count, type: .string) { values in
            guard case .string(let a) = values[0], case .string(let b) = values[1] else { return .null }
            return .string(a + b)
        })
    }

    // MARK: Conversions

    /// `date(x [, format])`, `timestamp(x [, format])`: text read as written dates (the
    /// order of day and month decided over all the values, as a load does) or by the format;
    /// a timestamp's own date; a date at midnight.
    private static func dates(_ args: [Vector], timestamps: Bool) -> Outcome {
        let source = args[0]
        switch source.storage {
        case .date(let days):
            guard timestamps else { return Outcome(vector: source) }
            return Outcome(vector: Vector(storage: .timestamp(days.map { Int64($0) * CivilDate.microsecondsPerDay }), nulls: source.nulls))
        case .timestamp(let micros):
            guard !timestamps else { return Outcome(vector: source) }
            return Outcome(vector: Vector(storage: .date(micros.indices.map { CivilDate.day(ofTimestamp: micros[$0], offset: source.offset($0)) }),
                                          nulls: source.nulls))
        case .string(let strings):
            let format = args.count == 2 ? constantString(args[1]).flatMap { try? DateFormat($0) } : nil
            var order = DateOrder.monthFirst
            var note: ResultNote?
            if format == nil {
                // Day or month first: as the values allow, month first when both do.
                var monthFirst = true, dayFirst = true
                var ambiguous: String?
                for entry in used(strings, nulls: source.nulls) {
                    strings.heap.withBytes(at: entry) { bytes in
                        guard let date = WrittenDate.parse(bytes), date.shape == .yearLast else { return }
                        let m = date.isValid(.monthFirst), d = date.isValid(.dayFirst)
                        // A value no order reads (29/02/2023) says nothing about the order.
                        guard m || d else { return }
                        monthFirst = monthFirst && m
                        dayFirst = dayFirst && d
                        if m, d, date.first != date.second, ambiguous == nil { ambiguous = strings.heap.string(at: entry) }
                    }
                }
                if !monthFirst, dayFirst { order = .dayFirst }
                if monthFirst, dayFirst, let ambiguous {
                    note = .datesReadMonthFirst(example: ambiguous)
                }
            }
            var converted: [(Int64, Int32)?] = []
            converted.reserveCapacity(strings.heap.count)
            for entry in 0..<strings.heap.count {
                converted.append(strings.heap.withBytes(at: entry) { bytes -> (Int64, Int32)? in
                    let date: WrittenDate?
                    if let format { date = format.parse(bytes) }
                    else { date = WrittenDate.parse(bytes).flatMap { $0.isValid(order) ? $0 : nil } }
                    guard let date else { return nil }
                    if !timestamps { return (Int64(date.day(order)), Column.noOffset) }
                    return date.instant(order)
                })
            }
            var outcome = Outcome(vector: source)
            outcome.note = note
            var nulls = [Bool](repeating: false, count: strings.indexes.count)
            var values = [Int64](repeating: 0, count: strings.indexes.count)
            var offsets: [Int32]?
            for row in 0..<strings.indexes.count where !source.isNull(row) {
                guard let (value, offset) = converted[Int(strings.indexes[row])] else {
                    nulls[row] = true
                    outcome.failed.append(row)
                    continue
                }
                values[row] = value
                if offset != Column.noOffset {
                    if offsets == nil { offsets = [Int32](repeating: Column.noOffset, count: values.count) }
                    offsets![row] = offset
                }
            }
            for row in 0..<nulls.count where source.isNull(row) { nulls[row] = true }
            let anyNull = nulls.contains(true) ? nulls : nil
            outcome.vector = timestamps ? Vector(storage: .timestamp(values), nulls: anyNull, offsets: offsets)
                : Vector(storage: .date(values.map { Int32($0) }), nulls: anyNull)
            return outcome
        default:
            return Outcome(vector: Vector.allNull(timestamps ? .timestamp : .date, count: source.count))
        }
    }

    /// `number(x)`: text written as an amount (`¥1,234.50`, `(1,234.00)`, `1.234,56`, `25%`)
    /// as a decimal; numbers as they are.
    private static func number(_ source: Vector) -> Outcome {
        switch source.storage {
        case .integer, .decimal:
            return Outcome(vector: Functions.toDecimal(source))
        case .string(let strings):
            // A decimal point first; a value that reads both ways (1,234) is said under the result.
            var ambiguous: (text: String, point: Double, comma: Double)?
            let values = strings.heap.values { bytes -> Double? in
                let point = WrittenAmount.parse(bytes, style: .decimalPoint)?.value
                let comma = WrittenAmount.parse(bytes, style: .decimalComma)?.value
                if let point, let comma, point != comma, ambiguous == nil {
                    ambiguous = (String(decoding: bytes, as: UTF8.self), point, comma)
                }
                return point ?? comma ?? Double(trimmed(String(decoding: bytes, as: UTF8.self))).flatMap { $0.isFinite ? $0 : nil }
            }
            var outcome = perRow(source, strings, values) { Vector.Storage.decimal($0.map { $0 ?? 0 }) }
            if let ambiguous {
                outcome.note = .numbersReadWithPoint(example: ambiguous.text, point: ambiguous.point, comma: ambiguous.comma)
            }
            return outcome
        default:
            return Outcome(vector: Vector.allNull(.decimal, count: source.count))
        }
    }

    /// `integer(x)`: a whole number. Text is read exactly, its fraction rounded half away from
    /// zero; a decimal rounds half to even (both as DuckDB casts them); true is 1.
    private static func integer(_ source: Vector) -> Outcome {
        switch source.storage {
        case .integer:
            return Outcome(vector: source)
        case .boolean(let values):
            return Outcome(vector: Vector(storage: .integer(values.map { $0 ? 1 : 0 }), nulls: source.nulls))
        case .decimal(let values):
            var outcome = Outcome(vector: source)
            var nulls = source.nulls ?? [Bool](repeating: false, count: values.count)
            var out = [Int64](repeating: 0, count: values.count)
            for row in values.indices where !nulls[row] {
                guard let whole = Int64(exactly: values[row].rounded(.toNearestOrEven)) else {
                    nulls[row] = true
                    outcome.failed.append(row)
                    continue
                }
                out[row] = whole
            }
            outcome.vector = Vector(storage: .integer(out), nulls: nulls.contains(true) ? nulls : nil)
            return outcome
        case .string(let strings):
            let values = strings.heap.values { bytes -> Int64? in
                let text = trimmed(String(decoding: bytes, as: UTF8.self))
                if let exact = Int64(text) { return exact }
                guard let amount = WrittenAmount.parse(bytes, style: .decimalPoint)?.value ?? Double(text), amount.isFinite else { return nil }
                return Int64(exactly: amount.rounded(.toNearestOrAwayFromZero))
            }
            return perRow(source, strings, values) { Vector.Storage.integer($0.map { $0 ?? 0 }) }
        default:
            return Outcome(vector: Vector.allNull(.integer, count: source.count))
        }
    }

    /// `text(x)`: values as text, written as DuckDB casts them to VARCHAR.
    static func text(_ source: Vector) -> Vector {
        let strings: [String]
        switch source.storage {
        case .string: return source
        case .integer(let v): strings = v.map { String($0) }
        case .decimal(let v): strings = v.map { $0.isFinite ? String($0) : ($0.isNaN ? "nan" : ($0 > 0 ? "inf" : "-inf")) }
        case .boolean(let v): strings = v.map { $0 ? "true" : "false" }
        case .date(let v): strings = v.map { CivilDate.isoString(ofDay: Int($0)) }
        case .timestamp(let v): strings = v.indices.map { CivilDate.isoString(ofTimestamp: v[$0], offset: source.offset($0)) }
        }
        return Vector(storage: .string(StringValues(strings: (0..<strings.count).map { source.isNull($0) ? "" : strings[$0] })),
                      nulls: source.nulls)
    }

    // MARK: Text

    /// `substr(s, start, length)` as DuckDB counts: characters from 1; a start of 0 or
    /// below counts positions before the first; a negative start counts from the end; a
    /// negative length takes the characters before the start.
    static func substring(_ text: String, start: Int64, length: Int64?) -> String {
        let scalars = Array(text.unicodeScalars)
        let n = Int64(scalars.count)
        var from = start > 0 ? start - 1 : (start < 0 ? n + start : -1)
        var to: Int64
        if let length {
            if length < 0 {
                to = from
                from = from + length
            } else {
                to = from + length
            }
        } else {
            to = n
        }
        from = max(0, min(n, from))
        to = max(0, min(n, to))
        guard from < to else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[Int(from)..<Int(to)])
        return String(result)
    }

    /// A like pattern: `%` any text, `_` one character, everything else itself.
    struct Pattern {
        enum Piece: Equatable { case any, one, scalar(Unicode.Scalar) }
        let pieces: [Piece]

        init(_ pattern: String, folded: Bool) {
            pieces = (folded ? pattern.lowercased() : pattern).unicodeScalars.map { $0 == "%" ? .any : $0 == "_" ? .one : .scalar($0) }
        }

        func matches(_ text: String) -> Bool {
            let scalars = Array(text.unicodeScalars)
            // Iterative matching with one backtrack point per '%' (linear for most patterns).
            var p = 0, s = 0
            var star = -1, mark = 0
            while s < scalars.count {
                if p < pieces.count, pieces[p] == .one || pieces[p] == .scalar(scalars[s]) {
                    p += 1
                    s += 1
                } else if p < pieces.count, pieces[p] == .any {
                    star = p
                    mark = s
                    p += 1
                } else if star >= 0 {
                    p = star + 1
                    mark += 1
                    s = mark
                } else {
                    return false
                }
            }
            while p < pieces.count, pieces[p] == .any { p += 1 }
            return p == pieces.count
        }
    }

    // MARK: Helpers

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// The text of a constant argument (the same in every row).
    private static func constantString(_ v: Vector) -> String? {
        guard case .string(let s) = v.storage, s.heap.count == 1, v.nulls == nil else { return nil }
        return s.heap.string(at: 0)
    }

    /// The heap entries some non-null row uses.
    private static func used(_ strings: StringValues, nulls: [Bool]?) -> [Int] {
        var seen = [Bool](repeating: false, count: strings.heap.count)
        for row in 0..<strings.indexes.count where !(nulls?[row] ?? false) { seen[Int(strings.indexes[row])] = true }
        return seen.indices.filter { seen[$0] }
    }

    /// A test of one text argument, made once per distinct text.
    private static func booleans(_ source: Vector, count: Int, _ test: (String) -> Bool) -> Vector {
        guard case .string(let strings) = source.storage else { return Vector.allNull(.boolean, count: count) }
        let results = (0..<strings.heap.count).map { test(strings.heap.string(at: $0)) }
        return Vector(storage: .boolean(strings.indexes.map { results[Int($0)] }), nulls: source.nulls)
    }

    /// A text of one text argument, made once per distinct text.
    private static func texts(_ source: Vector, count: Int, _ f: (String) -> String) -> Vector {
        guard case .string(let strings) = source.storage else { return Vector.allNull(.string, count: count) }
        let results = (0..<strings.heap.count).map { f(strings.heap.string(at: $0)) }
        return Vector(storage: .string(StringValues(strings: strings.indexes.map { results[Int($0)] })), nulls: source.nulls)
    }

    /// The per-row result of converting each distinct text once; rows whose text did not convert fail.
    private static func perRow<T>(_ source: Vector, _ strings: StringValues, _ values: [T?],
                                  _ storage: ([T?]) -> Vector.Storage) -> Outcome {
        var outcome = Outcome(vector: source)
        var nulls = [Bool](repeating: false, count: strings.indexes.count)
        var out = [T?](repeating: nil, count: strings.indexes.count)
        for row in 0..<strings.indexes.count {
            if source.isNull(row) { nulls[row] = true; continue }
            guard let value = values[Int(strings.indexes[row])] else {
                nulls[row] = true
                outcome.failed.append(row)
                continue
            }
            out[row] = value
        }
        outcome.vector = Vector(storage: storage(out), nulls: nulls.contains(true) ? nulls : nil)
        return outcome
    }

    enum NullArguments { case nullResult, skipped }

    /// A function of several arguments, row by row.
    private static func rows(_ args: [Vector], count: Int, type: ValueType, nullsIn: NullArguments = .nullResult,
                             _ f: ([Scalar]) -> Scalar) -> Vector {
        var scalars: [Scalar] = []
        scalars.reserveCapacity(count)
        for row in 0..<count {
            var values = args.map { $0.scalar(at: row) }
            if values.contains(.null) {
                if nullsIn == .nullResult {
                    scalars.append(.null)
                    continue
                }
                values = values.filter { $0 != .null }
            }
            scalars.append(f(values))
        }
        return Functions.vector(scalars, type: type)
    }
}

extension StringHeap {
    /// `convert` applied to each entry's bytes.
    func values<T>(_ convert: (UnsafeBufferPointer<UInt8>) -> T?) -> [T?] {
        (0..<count).map { withBytes(at: $0, convert) }
    }
}
