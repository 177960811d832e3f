import CustqLanguage
import CustqStore

/// Comparisons, `in` lists and arithmetic: operand types unified, text values checked
/// against the column, dates and numbers mixed by their rules.
extension Binder {
    /// A bare word that names nothing is text when compared with text: `tier = A`.
    mutating func operand(_ expr: Expr, allowAggregates: Bool) throws(LanguageError) -> BoundExpr? {
        if case .name(let name, quoted: false) = expr.kind,
           try resolve(name, at: expr.range, allowAggregates: allowAggregates) == nil {
            return nil
        }
        return try bind(expr, allowAggregates: allowAggregates)
    }

    mutating func comparison(_ op: BinaryOperator, _ left: Expr, _ right: Expr, allowAggregates: Bool,
                                     range: SourceRange) throws(LanguageError) -> BoundExpr {
        let l = try operand(left, allowAggregates: allowAggregates)
        let r = try operand(right, allowAggregates: allowAggregates)
        let equality = op == .equal || op == .notEqual
        guard var l2 = (equality ? digits(left, comparedWith: r) : nil) ?? l ?? bareWord(left, comparedWith: r),
              var r2 = (equality ? digits(right, comparedWith: l) : nil) ?? r ?? bareWord(right, comparedWith: l) else {
            let unknown = l == nil ? left : right
            _ = try bind(unknown, allowAggregates: allowAggregates)   // throws "unknown column"
            throw EngineErrors.unknownName(text(unknown.range), at: unknown.range, candidates: candidateNames, table: table.name)
        }
        // `"Financial Status" = paid` (SQL's quotes for a name): two fixed values, never a
        // column, so the condition would hold for every row or none without saying why.
        if case .constant = l2.unshared, case .constant = r2.unshared {
            for side in [left, right] {
                guard case .string(let written) = side.kind, let index = table.columnIndex(named: written) else { continue }
                throw LanguageError("'\(written)' in quotes is a text value, not the column, so this compares two fixed values",
                                    side.range, help: "to name the column, write `\(table.columns[index].name)` in backticks")
            }
        }
        try unify(&l2, left, &r2, right)
        if op == .equal || op == .notEqual {
            checkValue(l2, r2)
            checkValue(r2, l2)
        }
        return .compare(op, l2, r2)
    }

    /// Remembers `column = 'text'` so the result can say when the column never holds the text.
    func checkValue(_ column: BoundExpr, _ value: BoundExpr) {
        guard case .column(let index, .string) = column.unshared, case .constant(.string(let text)) = value.unshared else { return }
        let check = ValueCheck(column: index, value: text)
        if !usage.valueChecks.contains(check) { usage.valueChecks.append(check) }
    }

    /// A whole number written in a statement and compared with text is its digits as
    /// written: ids too long for 64 bits load as text (`where id = 99999999999999999998`),
    /// and codes keep their zeros (`where zip = 01151`).
    func digits(_ expr: Expr, comparedWith other: BoundExpr?) -> BoundExpr? {
        guard case .number(_, let isInteger) = expr.kind, other?.type == .string else { return nil }
        let written = text(expr.range)
        guard isInteger || written.allSatisfy(\.isNumber) else { return nil }
        return .constant(.string(written))
    }

    func bareWord(_ expr: Expr, comparedWith other: BoundExpr?) -> BoundExpr? {
        guard case .name(let word, _) = expr.kind, other?.type == .string else { return nil }
        return .constant(.string(word))
    }

    /// Makes two operands comparable: numbers meet as decimals, text dates become dates,
    /// dates meet timestamps as timestamps.
    func unify(_ l: inout BoundExpr, _ left: Expr, _ r: inout BoundExpr, _ right: Expr) throws(LanguageError) {
        let lt = l.type, rt = r.type
        if lt == rt || lt == .null || rt == .null { return }
        if lt.isNumeric, rt.isNumeric {
            if lt == .integer { l = .toDecimal(l) } else { r = .toDecimal(r) }
            return
        }
        if lt == .date, rt == .string, let day = Self.dateConstant(r) { r = day; return }
        if lt == .string, rt == .date, let day = Self.dateConstant(l) { l = day; return }
        if lt == .date, rt == .timestamp { l = .function("timestamp", [l], .timestamp); return }
        if lt == .timestamp, rt == .date { r = .function("timestamp", [r], .timestamp); return }
        throw EngineErrors.cannotCompare((lt, describe(left, l)), (rt, describe(right, r)), at: left.range.union(right.range))
    }

    func describe(_ expr: Expr, _ bound: BoundExpr) -> String {
        if case .constant(.string(let s)) = bound.unshared { return "'\(s)'" }
        return text(expr.range)
    }

    static func dateConstant(_ expr: BoundExpr) -> BoundExpr? {
        guard case .constant(.string(let text)) = expr.unshared, let day = CivilDate.dayNumber(isoText: text) else { return nil }
        return .constant(.date(Int32(day)))
    }

    mutating func inList(_ operand: Expr, _ values: [Expr], negated: Bool, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        let bound = try bind(operand, allowAggregates: allowAggregates)
        var constants: [Scalar] = []
        for value in values {
            var item: BoundExpr
            if let written = digits(value, comparedWith: bound) {
                item = written
            } else if let resolved = try self.operand(value, allowAggregates: false) {
                item = resolved
            } else if let word = bareWord(value, comparedWith: bound) {
                item = word
            } else {
                _ = try bind(value, allowAggregates: false)
                throw EngineErrors.unknownName(text(value.range), at: value.range, candidates: candidateNames, table: table.name)
            }
            var left = bound
            try unify(&left, operand, &item, value)
            guard let scalar = Self.constantValue(item) else {
                throw LanguageError("the values after 'in' must be constants", value.range)
            }
            constants.append(Self.convert(scalar, to: bound.type))
            checkValue(bound, .constant(scalar))
        }
        return .inList(bound, constants, negated: negated)
    }

    static func constantValue(_ expr: BoundExpr) -> Scalar? {
        switch expr.unshared {
        case .constant(let scalar): scalar
        case .toDecimal(.constant(.integer(let v))): .decimal(Double(v))
        case .negate(.constant(.integer(let v)), _): .integer(-v)
        case .negate(.constant(.decimal(let v)), _): .decimal(-v)
        default: nil
        }
    }

    static func convert(_ scalar: Scalar, to type: ValueType) -> Scalar {
        switch (scalar, type) {
        case (.integer(let v), .decimal): .decimal(Double(v))
        case (.date(let d), .timestamp): .timestamp(Int64(d) * 86_400_000_000)
        default: scalar
        }
    }

    mutating func arithmetic(_ op: BinaryOperator, _ left: Expr, _ right: Expr, allowAggregates: Bool) throws(LanguageError) -> BoundExpr {
        var l = try bind(left, allowAggregates: allowAggregates)
        var r = try bind(right, allowAggregates: allowAggregates)
        let lt = l.type == .null ? (r.type == .null ? ValueType.integer : r.type) : l.type
        let rt = r.type == .null ? lt : r.type
        switch (lt, rt) {
        case (.date, .date) where op == .subtract:
            return .arithmetic(op, l, r, .integer)
        case (.date, .integer) where op == .add || op == .subtract:
            return .arithmetic(op, l, r, .date)
        case (.integer, .date) where op == .add:
            return .arithmetic(op, r, l, .date)
        default:
            break
        }
        for (type, expr) in [(lt, left), (rt, right)] where !type.isNumeric {
            let help = type == .date ? "subtract dates to get days (a - b), or use days_between(a, b)" : nil
            throw EngineErrors.needs("'\(op.rawValue)' needs numbers", found: type, text: text(expr.range),
                                     at: expr.range, help: help)
        }
        if lt == .integer, rt == .integer, op != .divide { return .arithmetic(op, l, r, .integer) }
        if l.type == .integer { l = .toDecimal(l) }
        if r.type == .integer { r = .toDecimal(r) }
        return .arithmetic(op, l, r, .decimal)
    }
}
