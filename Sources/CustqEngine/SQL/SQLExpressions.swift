import CustqLanguage
import CustqStore

/// Writes one bound expression as SQL with custq's semantics pinned: `/` divides as doubles
/// and a zero divisor gives null, rounding is half away from zero, text compares by bytes,
/// integer overflow is an error, and dates take and give whole days.
struct SQLExpressions {
    enum Scope {
        /// A value per row of the query's table, in the scope of the last layer.
        case row
        /// A value per group: `.aggregate(i)` is the i-th call, written in place.
        case group([AggregateCall])
        /// A value per row of another table, inside a roll-up's subquery.
        case other(Table)
    }

    let writer: SQLWriter
    let scope: Scope
    /// The layer from which every name the expression reads can be seen.
    private(set) var layer = 0

    init(writer: SQLWriter, scope: Scope) {
        self.writer = writer
        self.scope = scope
    }

    private var dialect: SQLDialect { writer.dialect }

    mutating func write(_ expr: BoundExpr) throws(SQLRefusal) -> String {
        switch expr {
        case .column(let index, _):
            let table = if case .other(let other) = scope { other } else { writer.table }
            let column = table.columns[index]
            if table.addedColumns.contains(column.name) { return try writer.addedColumn(column.name, of: table) }
            return dialect.quote(column.name)
        case .constant(let scalar):
            return try constant(scalar)
        case .toDecimal(let inner):
            if case .constant(.integer(let v)) = inner { return try constant(.decimal(Double(v))) }
            return dialect.double(try write(inner))
        case .negate(let inner, _):
            return "(- \(try write(inner)))"
        case .arithmetic(let op, let l, let r, let type):
            return try arithmetic(op, l, r, type)
        case .compare(let op, let l, let r):
            let text = l.type == .string || r.type == .string
            let left = try write(l), right = try write(r)
            let collate = text && op != .equal && op != .notEqual ? dialect.byteOrder : ""
            return "(\(left)\(collate) \(op.rawValue == "!=" ? "<>" : op.rawValue) \(right))"
        case .logical(let op, let l, let r):
            return "(\(try write(l)) \(op == .and ? "AND" : "OR") \(try write(r)))"
        case .not(let inner):
            return "(NOT \(try write(inner)))"
        case .inList(let inner, let values, let negated):
            var list: [String] = []
            for value in values { list.append(try constant(value)) }
            return "(\(try write(inner)) \(negated ? "NOT IN" : "IN") (\(list.joined(separator: ", "))))"
        case .isNull(let inner, let negated):
            return "(\(try write(inner)) IS \(negated ? "NOT " : "")NULL)"
        case .function("if", let arguments, _):
            // An if-chain is one CASE: if(a, x, if(b, y, z)) is CASE WHEN a THEN x WHEN b THEN y ELSE z END.
            let condition = try write(arguments[0]), then = try write(arguments[1])
            let otherwise = try write(arguments[2])
            if case .function("if", _, _) = arguments[2], otherwise.hasPrefix("CASE WHEN "), otherwise.hasSuffix(" END") {
                return "CASE WHEN \(condition) THEN \(then) " + otherwise.dropFirst(5).dropLast(4) + " END"
            }
            return "CASE WHEN \(condition) THEN \(then) ELSE \(otherwise) END"
        case .function(let name, let arguments, let type):
            var args: [String] = []
            for argument in arguments { args.append(try write(argument)) }
            return try SQLFunctions(dialect: dialect, today: writer.today).call(name, args, arguments, type: type)
        case .aggregate(let index, _):
            guard case .group(let calls) = scope else { throw SQLRefusal("an aggregate where a value per row is needed") }
            return try aggregate(calls[index])
        case .rollup(let rollup):
            guard case .row = scope else { throw SQLRefusal("a roll-up inside another table's values is not written as SQL yet") }
            let other = writer.runner.context.table(named: rollup.table)
            var inner = SQLExpressions(writer: writer, scope: .other(other))
            let value = try inner.aggregate(rollup.call)
            return try writer.rollup(rollup, value: value)
        case .lookup(let lookup):
            guard case .row = scope else { throw SQLRefusal("a lookup inside another table's values is not written as SQL yet") }
            return try writer.lookup(lookup)
        case .total(let inner):
            let name = writer.takeNameHint() ?? "total"
            let argument = try wholeTableArgument(inner)
            let made = writer.window(named: name, sql: "COALESCE(sum(\(argument.sql)) OVER (), 0)",
                                     argumentLayer: argument.layer)
            return reading(made)
        case .ntile(let k, let inner, let tieBreak):
            let name = writer.takeNameHint() ?? "ntile"
            let argument = try wholeTableArgument(inner)
            let tie = try tieKey(tieBreak, what: "ntile")
            let sql = "CASE WHEN \(argument.sql) IS NULL THEN NULL ELSE ntile(\(k)) OVER (PARTITION BY \(argument.sql) IS NULL"
                + " ORDER BY \(argument.sql) ASC, \(tie) ASC) END"
            return reading(writer.window(named: name, sql: sql, argumentLayer: argument.layer))
        case .abc(let inner, let tieBreak, let a, let b):
            let name = writer.takeNameHint() ?? "abc"
            let argument = try wholeTableArgument(inner)
            let tie = try tieKey(tieBreak, what: "abc")
            let x = argument.sql
            let running = "sum(\(x)) OVER (PARTITION BY \(x) IS NULL ORDER BY \(x) DESC, \(tie) ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
            let total = "sum(\(x)) OVER (PARTITION BY \(x) IS NULL)"
            let share = "COALESCE(\(running) / NULLIF(\(total), 0), 1)"
            let sql = "CASE WHEN \(x) IS NULL THEN NULL WHEN \(share) <= \(a) THEN 'A' WHEN \(share) <= \(b) THEN 'B' ELSE 'C' END"
            return reading(writer.window(named: name, sql: sql, argumentLayer: argument.layer))
        case .qcut(let k, let inner):
            let name = writer.takeNameHint() ?? "qcut"
            let argument = try wholeTableArgument(inner)
            let cuts = writer.cutPoints(fractions: (1..<k).map { Double($0) / Double(k) }, of: argument.sql,
                                        layer: argument.layer)
            let above = cuts.map { "CASE WHEN \(argument.sql) > \($0) THEN 1 ELSE 0 END" }.joined(separator: " + ")
            let sql = "CASE WHEN \(argument.sql) IS NULL THEN NULL ELSE CAST(1 + \(above) AS BIGINT) END"
            return reading(writer.window(named: name, sql: sql, argumentLayer: argument.layer))
        case .shared(let shared):
            guard case .row = scope, shared.uses > 1, !shared.usesAggregates else { return try write(shared.expr) }
            var inner = SQLExpressions(writer: writer, scope: .row)
            // A definition that is one window (r_score = ntile(…)) names its column.
            switch shared.expr {
            case .ntile, .abc, .qcut, .total: writer.nameHint = shared.name
            default: break
            }
            let sql = try inner.write(shared.expr)
            writer.nameHint = nil
            // A plain column or join value needs no layer of its own.
            if writer.isName(sql) {
                layer = max(layer, inner.layer)
                return sql
            }
            return reading(writer.shared(shared, sql: sql, layer: inner.layer))
        }
    }

    /// A computed column read by name, from its layer on.
    private mutating func reading(_ made: (name: String, layer: Int)) -> String {
        layer = max(layer, made.layer)
        return dialect.quote(made.name)
    }

    /// The argument of a value over every row: written per row of the query's table.
    private func wholeTableArgument(_ inner: BoundExpr) throws(SQLRefusal) -> (sql: String, layer: Int) {
        guard case .row = scope else { throw SQLRefusal("a value over every row inside another table's values is not written as SQL yet") }
        return try writer.rowValue(inner)
    }

    /// The column ties are broken by, as custq breaks them: a whole-number key; else the
    /// file's row order, which is a text key's byte order when the rows are sorted by it (as
    /// the customers custq makes from the orders are, and many exports).
    private func tieKey(_ tieBreak: Int?, what: String) throws(SQLRefusal) -> String {
        if let tieBreak {
            let column = writer.table.columns[tieBreak]
            if column.type == .integer { return dialect.quote(column.name) }
            if case .string(let keys) = column.values, column.nullCount == 0, Self.strictlyAscending(keys) {
                return dialect.quote(column.name) + dialect.byteOrder
            }
        }
        throw SQLRefusal("\(what) breaks ties by the file's row order unless the table's key is a whole number or its rows are sorted by it, and SQL has no row order")
    }

    /// Whether each text is after the one before it, byte by byte (so all differ).
    static func strictlyAscending(_ keys: StringColumn) -> Bool {
        guard keys.count > 1 else { return true }
        for row in 1..<keys.count {
            let before = keys.withBytes(at: row - 1) { x in keys.withBytes(at: row) { y in Comparison.bytesCompare(x, y) } }
            if before >= 0 { return false }
        }
        return true
    }

    private func constant(_ scalar: Scalar) throws(SQLRefusal) -> String {
        switch scalar {
        case .null: return "NULL"
        case .integer(let v): return "\(v)"
        case .decimal(let v):
            guard v.isFinite else { throw SQLRefusal("an infinite or undefined number has no SQL literal") }
            return dialect.double("\(v)")
        case .boolean(let v): return v ? "TRUE" : "FALSE"
        case .date(let day): return dialect.date(day)
        case .timestamp(let micros): return "TIMESTAMP '\(CivilDate.isoString(ofTimestamp: micros).replacing("T", with: " "))'"
        case .string(let text): return dialect.literal(text)
        }
    }

    private mutating func arithmetic(_ op: BinaryOperator, _ l: BoundExpr, _ r: BoundExpr, _ type: ValueType) throws(SQLRefusal) -> String {
        var left = try write(l), right = try write(r)
        // Two written-out whole numbers would be 32-bit integers in SQL: make them 64-bit.
        if case .constant(.integer) = l.unshared, case .constant(.integer) = r.unshared {
            left = "CAST(\(left) AS BIGINT)"
            right = "CAST(\(right) AS BIGINT)"
        }
        switch (l.type, r.type, type) {
        case (.date, .date, _):
            return dialect.daysBetween(right, left)
        case (.date, _, .date):
            return dialect.addDays(left, right, subtract: op == .subtract)
        default:
            break
        }
        switch op {
        case .divide:
            return "(\(left) / NULLIF(\(right), 0))"
        case .remainder:
            if type == .decimal {
                switch dialect {
                case .postgres: throw SQLRefusal("PostgreSQL has no remainder of decimals (%), only of whole numbers")
                case .duckdb: return "fmod(\(left), NULLIF(\(right), 0))"
                case .spark: return "(\(left) % NULLIF(\(right), 0))"
                }
            }
            return "(\(left) % NULLIF(\(right), 0))"
        default:
            return "(\(left) \(op.rawValue) \(right))"
        }
    }

    /// An aggregate over the rows of a group (or of a key, in a roll-up).
    mutating func aggregate(_ call: AggregateCall) throws(SQLRefusal) -> String {
        var argument = ""
        if let expr = call.argument {
            // A group's aggregate reads values per row (roll-ups and windows included).
            if case .group = scope {
                var perRow = SQLExpressions(writer: writer, scope: .row)
                argument = try perRow.write(expr)
            } else {
                argument = try write(expr)
            }
        }
        let text = call.argument?.type == .string ? dialect.byteOrder : ""
        switch call.kind {
        case .count: return call.argument == nil ? "count(*)" : "count(\(argument))"
        case .countIf: return "count(CASE WHEN \(argument) THEN 1 END)"
        case .share: return "(\(dialect.double("count(CASE WHEN \(argument) THEN 1 END)")) / NULLIF(count(*), 0))"
        case .sum: return call.type == .integer ? "CAST(sum(\(argument)) AS BIGINT)" : "sum(\(argument))"
        case .avg: return dialect.double("avg(\(argument))")
        case .min: return "min(\(argument)\(text))"
        case .max: return "max(\(argument)\(text))"
        case .median: return dialect.percentile(0.5, of: argument)
        case .quantile(let q): return dialect.percentile(q, of: argument)
        case .stddev: return "stddev_samp(\(argument))"
        case .distinct: return "count(DISTINCT \(argument))"
        }
    }
}
