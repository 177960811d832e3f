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
