import CustqResult
import CustqStore
import CustqLanguage

/// An expression with every name resolved to a column, constant or aggregate, and every
/// type known: what the evaluator runs.
indirect enum BoundExpr: Sendable {
    /// Column `index` of the query's table.
    case column(Int, ValueType)
    case constant(Scalar)
    /// Integer to decimal, where an operation mixes them.
    case toDecimal(BoundExpr)
    case negate(BoundExpr, ValueType)
    /// `+ - * / %` with the result type; dates take and give days.
    case arithmetic(BinaryOperator, BoundExpr, BoundExpr, ValueType)
    /// `= != < <= > >=` on operands of one comparable type.
    case compare(BinaryOperator, BoundExpr, BoundExpr)
    /// `and`, `or` with SQL's three-valued logic.
    case logical(BinaryOperator, BoundExpr, BoundExpr)
    case not(BoundExpr)
    case inList(BoundExpr, [Scalar], negated: Bool)
    case isNull(BoundExpr, negated: Bool)
    case function(String, [BoundExpr], ValueType)
    /// The value of aggregate number `index` for the current group.
    case aggregate(Int, ValueType)
    /// An aggregate over another table's rows that share this row's key (a per-row value).
    case rollup(Rollup)
    /// A column of the one related row with this row's key (`customers.region` on responses).
    case lookup(Lookup)
    /// The sum of a per-row expression over every row of the table (`total(x)`), per row.
    case total(BoundExpr)
    /// `ntile(k, x)`: the equal-count group (1…k) of each row's x among all rows, ties by
    /// the key column (`tieBreak`) ascending.
    case ntile(Int, BoundExpr, tieBreak: Int?)
    /// `abc(x)`: A, B or C by the cumulative share of x's total, largest first.
    case abc(BoundExpr, tieBreak: Int?, a: Double, b: Double)
    /// `qcut(k, x)`: 1…k by how many of x's k-quantile cut points the row's x is above
    /// (equal values share a score).
    case qcut(Int, BoundExpr)
    /// A definition, bound once for the statement and used wherever it is named: its value
    /// is computed once per set of rows when it is used more than once.
    case shared(SharedExpr)

    /// The expression itself, for the checks that look at its form (a column, a constant).
    var unshared: BoundExpr {
        if case .shared(let shared) = self { return shared.expr.unshared }
        return self
    }

    var type: ValueType {
        switch self {
        case .shared(let shared): return shared.type
        case .column(_, let t), .negate(_, let t), .arithmetic(_, _, _, let t), .function(_, _, let t),
             .aggregate(_, let t):
            return t
        case .constant(let scalar): return scalar.type
        case .toDecimal: return .decimal
        case .compare, .logical, .not, .inList, .isNull: return .boolean
        case .rollup(let rollup): return rollup.call.type
        case .lookup(let lookup): return lookup.type
        case .total: return .decimal
        case .ntile, .qcut: return .integer
        case .abc: return .string
        }
    }

    /// A column read outside any aggregate, if there is one (so not valid per group).
    var columnOutsideAggregates: Int? {
        switch self {
        case .shared(let shared): shared.columnOutsideAggregates
        case .column(let index, _): index
        case .constant, .aggregate: nil
        case .rollup(let rollup): rollup.keyHere
        case .lookup(let lookup): lookup.keyHere
        case .total, .ntile, .abc, .qcut: nil
        case .toDecimal(let e), .negate(let e, _), .not(let e), .inList(let e, _, _), .isNull(let e, _): e.columnOutsideAggregates
        case .arithmetic(_, let l, let r, _), .compare(_, let l, let r), .logical(_, let l, let r):
            l.columnOutsideAggregates ?? r.columnOutsideAggregates
        case .function(_, let arguments, _): arguments.lazy.compactMap(\.columnOutsideAggregates).first
        }
    }

    /// Whether a per-row value (a column, roll-up, lookup, ntile or abc) is read outside any
    /// aggregate: such an expression has no single value per group.
    var readsRowsOutsideAggregates: Bool {
        switch self {
        case .shared(let shared): shared.readsRowsOutsideAggregates
        case .column, .rollup, .lookup, .ntile, .abc, .qcut: true
        case .constant, .aggregate, .total: false
        case .toDecimal(let e), .negate(let e, _), .not(let e), .inList(let e, _, _), .isNull(let e, _): e.readsRowsOutsideAggregates
        case .arithmetic(_, let l, let r, _), .compare(_, let l, let r), .logical(_, let l, let r):
            l.readsRowsOutsideAggregates || r.readsRowsOutsideAggregates
        case .function(_, let arguments, _): arguments.contains { $0.readsRowsOutsideAggregates }
        }
    }

    /// Whether the expression reads aggregate results (so it is evaluated per group).
    var usesAggregates: Bool {
        switch self {
        case .shared(let shared): shared.usesAggregates
        case .aggregate: true
        case .column, .constant, .rollup, .lookup: false
        case .total(let e), .ntile(_, let e, _), .abc(let e, _, _, _), .qcut(_, let e): e.usesAggregates
        case .toDecimal(let e), .negate(let e, _), .not(let e), .inList(let e, _, _), .isNull(let e, _): e.usesAggregates
        case .arithmetic(_, let l, let r, _), .compare(_, let l, let r), .logical(_, let l, let r):
            l.usesAggregates || r.usesAggregates
        case .function(_, let arguments, _): arguments.contains { $0.usesAggregates }
        }
    }
}

/// A definition bound once for a statement: its expression and what is known of it,
/// worked out once (a definition used at every level of a chain of definitions would
/// otherwise be walked again at each use, doubling with each level).
final class SharedExpr: @unchecked Sendable {
    let id: Int
    let expr: BoundExpr
    let type: ValueType
    let usesAggregates: Bool
    let readsRowsOutsideAggregates: Bool
    let columnOutsideAggregates: Int?
    /// How many places of the statement use it; more than one: its value is kept.
    var uses = 1

    init(id: Int, expr: BoundExpr) {
        self.id = id
        self.expr = expr
        type = expr.type
        usesAggregates = expr.usesAggregates
        readsRowsOutsideAggregates = expr.readsRowsOutsideAggregates
        columnOutsideAggregates = expr.columnOutsideAggregates
    }
}

/// An aggregate function applied to the rows of each group.
struct AggregateCall: Sendable {
    enum Kind: Sendable, Equatable {
        case count, countIf, sum, avg, min, max, median, stddev, quantile(Double), distinct, share
    }

    var kind: Kind
    /// The values (or the condition, for countIf and share); nil for `count`.
    var argument: BoundExpr?
    var type: ValueType
    /// Where the statement wrote it, when it did (not inside a definition).
    var range: SourceRange?
}

/// A roll-up: `call` computed over the rows of table `table` grouped by its key column,
/// then looked up for each row of the queried table by its own key.
struct Rollup: Sendable {
    /// The other table, by name (found in the statement's context when it runs).
    let table: String
    let keyHere: Int
    let keyThere: Int
    let call: AggregateCall
    /// Rows of `other` dated after `day` (in its column `dateColumn`) are left out: orders
    /// after an `.asof` date.
    var cutoff: (dateColumn: Int, day: Int32)?
}

/// A lookup: column `column` of the row of table `table` whose key equals this row's key.
struct Lookup: Sendable {
    /// The other table, by name (found in the statement's context when it runs).
    let table: String
    let keyHere: Int
    let keyThere: Int
    let column: Int
    let type: ValueType
}

extension BoundExpr {
    /// A text that identifies what the expression computes, for remembering whole-table
    /// results (ntile, abc, total, roll-ups) within one query.
    var fingerprint: String {
        switch self {
        case .shared(let shared): "s\(shared.id)"
        case .column(let i, _): "c\(i)"
        case .constant(let v): "k\(v)"
        case .toDecimal(let e): "d(\(e.fingerprint))"
        case .negate(let e, _): "-(\(e.fingerprint))"
        case .arithmetic(let op, let l, let r, _): "(\(l.fingerprint)\(op.rawValue)\(r.fingerprint))"
        case .compare(let op, let l, let r): "(\(l.fingerprint)\(op.rawValue)\(r.fingerprint))"
        case .logical(let op, let l, let r): "(\(l.fingerprint) \(op.rawValue) \(r.fingerprint))"
        case .not(let e): "!(\(e.fingerprint))"
        case .inList(let e, let values, let negated): "in(\(e.fingerprint),\(values),\(negated))"
        case .isNull(let e, let negated): "null(\(e.fingerprint),\(negated))"
        case .function(let name, let arguments, _): name + "(" + arguments.map(\.fingerprint).joined(separator: ",") + ")"
        case .aggregate(let i, _): "a\(i)"
        case .rollup(let r): "r(\(r.table),\(r.keyHere),\(r.keyThere),\(r.call.kind),\(r.call.argument?.fingerprint ?? ""),\(r.cutoff.map { "\($0.day)" } ?? ""))"
        case .lookup(let l): "l(\(l.table),\(l.keyHere),\(l.keyThere),\(l.column))"
        case .total(let e): "t(\(e.fingerprint))"
        case .ntile(let k, let e, let tie): "n\(k)(\(e.fingerprint),\(tie ?? -1))"
        case .abc(let e, let tie, let a, let b): "abc(\(e.fingerprint),\(tie ?? -1),\(a),\(b))"
        case .qcut(let k, let e): "q\(k)(\(e.fingerprint))"
        }
    }
}

/// Whole-table results computed once per query (a definition such as rfm_segment may use
/// the same ntile or roll-up many times).
final class QueryMemo: @unchecked Sendable {
    private var vectors: [String: Vector] = [:]

    func value(_ key: String, _ compute: () throws(EvaluationError) -> Vector) throws(EvaluationError) -> Vector {
        if let known = vectors[key] { return known }
        let vector = try compute()
        vectors[key] = vector
        return vector
    }
}

/// Values a conversion could not read (`date('soon')` is null), kept for the result's
/// notes: how many, and the first few with their rows. Rows are counted once however often
/// the expression is evaluated.
final class ConversionLog: @unchecked Sendable {
    private var failures: [String: (rows: Set<Int>, examples: [(text: String, row: Int)])] = [:]
    private var order: [String] = []
    private var notes: [String] = []

    func record(_ function: String, failed: [(text: Scalar, row: Int)], note: String?) {
        if let note, !notes.contains(note) { notes.append(note) }
        guard !failed.isEmpty else { return }
        if failures[function] == nil {
            failures[function] = ([], [])
            order.append(function)
        }
        for (value, row) in failed where failures[function]!.rows.insert(row).inserted {
            if failures[function]!.examples.count < 3, case .string(let text) = value {
                failures[function]!.examples.append((text, row))
            }
        }
    }

    /// What the result should say: the conversions' remarks, then one note per function
    /// (`date: 2 values did not convert and are null: 'soon' (row 4), 'N/A' (row 9)`).
    var resultNotes: [ResultNote] {
        notes.map(ResultNote.remark) + order.map { function in
            let (rows, examples) = failures[function]!
            return .notConverted(function: function, rows: rows.count,
                                 examples: examples.map { UnreadValue(text: $0.text, row: $0.row) })
        }
    }
}

/// What binding a statement met that its result should mention: the as-of date (today()),
/// the orders table (orders after an `.asof` date are left out), and text values compared
/// with a column (a value the column never holds gets a note).
final class BindingUsage: @unchecked Sendable {
    var readsToday = false
    var readsOrders = false
    /// `region = Nort`: a text column compared with a constant, to check the value exists.
    var valueChecks: [ValueCheck] = []
    /// How a yes/no the model needs was read from a column that is not boolean
    /// (`churned: 1 is yes, 0 is no`), said under the result.
    var flagRules: [String] = []
    /// A problem of the definitions as a whole (a cycle, a chain too deep), as last raised:
    /// shown as itself at the outermost use, not "in the definition of" each.
    var definitionsProblem: LanguageError?
    /// The last "METRIC needs …" raised by a prefer none of whose forms can run, with what
    /// it needs in words (for a metric that reads it to say both).
    var unmetNeeds: (metric: String, needed: String, error: LanguageError)?
    /// Whether each definition (by lowercased name) is a measure, found once per statement.
    var measures: [String: Bool] = [:]
    /// Each definition as bound in this statement, by name and by what the place it is used
    /// allows (and which aggregate list its aggregates went to): bound once, shared, with
    /// what binding it noted (so a later use notes it too).
    var boundDefinitions: [DefinitionUse: (expr: BoundExpr, notes: Notes)] = [:]

    /// What binding notes for the result: the as-of date, the orders, values to check.
    struct Notes {
        var readsToday = false
        var readsOrders = false
        var valueChecks: [ValueCheck] = []
        var flagRules: [String] = []
    }

    var notes: Notes {
        get { Notes(readsToday: readsToday, readsOrders: readsOrders, valueChecks: valueChecks, flagRules: flagRules) }
        set {
            readsToday = newValue.readsToday
            readsOrders = newValue.readsOrders
            valueChecks = newValue.valueChecks
            flagRules = newValue.flagRules
        }
    }

    /// Adds what a binding noted to what is noted already.
    func add(_ more: Notes) {
        readsToday = readsToday || more.readsToday
        readsOrders = readsOrders || more.readsOrders
        for check in more.valueChecks where !valueChecks.contains(check) { valueChecks.append(check) }
        for rule in more.flagRules where !flagRules.contains(rule) { flagRules.append(rule) }
    }
    private(set) var sharedCount = 0

    /// A number for the next shared definition.
    func nextSharedID() -> Int {
        sharedCount += 1
        return sharedCount
    }

    func copy() -> BindingUsage {
        let copy = BindingUsage()
        copy.readsToday = readsToday
        copy.readsOrders = readsOrders
        copy.valueChecks = valueChecks
        copy.measures = measures
        copy.boundDefinitions = boundDefinitions
        copy.sharedCount = sharedCount
        return copy
    }

    /// Puts back what `saved` had noted (today(), orders, value checks), keeping the
    /// bindings made since: a probe's bindings are good, its notes are not the statement's.
    func keepBindings(restoringNotesFrom saved: BindingUsage) {
        readsToday = saved.readsToday
        readsOrders = saved.readsOrders
        valueChecks = saved.valueChecks
    }
}

/// A definition used in one kind of place: a value per row, an aggregate list (whose
/// aggregates belong to one binder's list), or inside an aggregate.
struct DefinitionUse: Hashable {
    let name: String
    let allowAggregates: Bool
    let insideAggregate: Bool
    let aggregateList: Int
}

/// A text column of the query's table compared with a constant (`region = 'North'`).
struct ValueCheck: Equatable, Sendable {
    let column: Int
    let value: String
}
