import CustqLanguage

/// custq's built-in functions in SQL, each giving what custq gives: null where custq gives
/// null (the square root of a negative, the logarithm of 0), the same rounding, and text
/// functions that behave alike in every dialect. A function no dialect can match exactly
/// (custq's own readers of dates and numbers in text) is refused.
struct SQLFunctions {
    let dialect: SQLDialect
    /// What `today()` is.
    let today: String

    func call(_ name: String, _ args: [String], _ bound: [BoundExpr], type: ValueType) throws(SQLRefusal) -> String {
        switch name {
        case "abs": return "abs(\(args[0]))"
        case "round":
            if bound[0].type == .integer && args.count == 1 { return args[0] }
            return rounded(args[0], digits: args.count == 2 ? args[1] : nil, type: type)
        case "floor", "ceil":
            if bound[0].type == .integer { return args[0] }
            return dialect.double("\(name == "floor" ? "floor" : "ceil")(\(args[0]))")
        case "sqrt": return "CASE WHEN \(args[0]) < 0 THEN NULL ELSE sqrt(\(args[0])) END"
        case "ln": return "CASE WHEN \(args[0]) <= 0 THEN NULL ELSE ln(\(args[0])) END"
        case "exp": return "CASE WHEN \(args[0]) > 709.782712893384 THEN NULL ELSE exp(\(args[0])) END"
        case "coalesce": return "COALESCE(\(args.joined(separator: ", ")))"
        case "if": return "CASE WHEN \(args[0]) THEN \(args[1]) ELSE \(args[2]) END"
        case "year", "month":
            if dialect == .postgres { return "CAST(EXTRACT(\(name.uppercased()) FROM \(args[0])) AS BIGINT)" }
            return "CAST(\(name)(\(args[0])) AS BIGINT)"
        case "days_between": return dialect.daysBetween(args[0], args[1])
        case "today": return today
        case "lower", "upper": return "\(name)(\(args[0]))"
        case "length":
            return "CAST(length(\(args[0])) AS BIGINT)"
        case "month_of":
            return dialect == .spark ? "trunc(\(args[0]), 'MM')" : "CAST(date_trunc('month', \(args[0])) AS DATE)"
        case "trim": return dialect == .duckdb ? "trim(\(args[0]), ' ')" : "btrim(\(args[0]), ' ')"
        case "replace":
            // An empty `from` replaces nothing in custq; the engines differ on it.
            return "CASE WHEN \(args[1]) = '' THEN \(args[0]) ELSE replace(\(args[0]), \(args[1]), \(args[2])) END"
        case "contains":
            return "(\(dialect == .spark ? "instr" : "strpos")(\(args[0]), \(args[1])) > 0)"
        case "starts_with":
            return "(substr(\(args[0]), 1, \(length(args[1]))) = \(args[1]))"
        case "ends_with":
            return "(\(length(args[1])) = 0 OR substr(\(args[0]), \(length(args[0])) - \(length(args[1])) + 1) = \(args[1]))"
        case "like", "ilike":
            return try like(args[0], pattern: bound[1], folded: name == "ilike")
        case "||":
            return "(\(try text(args[0], bound[0])) || \(try text(args[1], bound[1])))"
        case "concat":
            var parts: [String] = []
            for (sql, expr) in zip(args, bound) { parts.append(try text(sql, expr)) }
            // Spark's concat is null when any part is; concat_ws leaves nulls out, as custq does.
            return dialect == .spark ? "concat_ws('', \(parts.joined(separator: ", ")))" : "concat(\(parts.joined(separator: ", ")))"
        case "text":
            return try text(args[0], bound[0])
        case "date" where args.count == 1 && bound[0].type == .timestamp:
            return "CAST(\(args[0]) AS DATE)"
        case "date" where args.count == 1 && bound[0].type == .date:
            return args[0]
        case "timestamp" where args.count == 1 && bound[0].type == .date:
            return "CAST(\(args[0]) AS TIMESTAMP)"
        case "substr":
            return try substr(args, bound)
        default:
            if FunctionRegistry.named(name)?.kind == .model || name.hasPrefix("bgnbd_") || name.hasPrefix("pnbd_") || name.hasPrefix("gg_") {
                throw SQLRefusal("the predictive models (\(name)) run in custq only: fit them with clv fit on data loaded into custq")
            }
            throw SQLRefusal("\(name)(…) reads text with custq's own rules, which SQL engines do not share")
        }
    }

    /// Half away from zero, as custq rounds (PostgreSQL rounds doubles half to even).
    private func rounded(_ value: String, digits: String?, type: ValueType) -> String {
        let scale = digits.map { "power(10.0, \($0))" }
        let scaled = scale.map { "(\(value) * \($0))" } ?? value
        var sql = "CASE WHEN \(scaled) < 0 THEN -floor(-\(scaled) + 0.5) ELSE floor(\(scaled) + 0.5) END"
        if let scale { sql = "(\(sql)) / \(scale)" }
        return type == .integer ? "CAST(\(sql) AS BIGINT)" : dialect.double(sql)
    }

    private func length(_ text: String) -> String { "length(\(text))" }

    /// A value as custq's text() writes it, where every dialect writes it the same way.
    private func text(_ sql: String, _ expr: BoundExpr) throws(SQLRefusal) -> String {
        switch expr.type {
        case .string, .null: return sql
        case .integer, .date, .boolean: return "CAST(\(sql) AS \(dialect.textType))"
        case .decimal, .timestamp:
            throw SQLRefusal("decimals and timestamps are written as text differently by each SQL engine; round or format them first")
        }
    }

    /// `like` with custq's pattern: % and _ only. PostgreSQL and Spark read a backslash as an
    /// escape, so a pattern with one is written with it doubled.
    private func like(_ value: String, pattern: BoundExpr, folded: Bool) throws(SQLRefusal) -> String {
        guard case .constant(.string(let text)) = pattern.unshared else {
            throw SQLRefusal("like with a pattern that is not written out is not written as SQL")
        }
        let escaped = dialect == .duckdb ? text : text.replacing("\\", with: "\\\\")
        return "(\(value) \(folded ? "ILIKE" : "LIKE") \(dialect.literal(escaped)))"
    }

    /// substr as custq counts: characters from `start` (1 the first, −3 the third from the
    /// end, 0 before the first), `length` of them (a negative length counts back), clipped to
    /// the text. The engines disagree on starts below 1, so the bounds are worked out here.
    private func substr(_ args: [String], _ bound: [BoundExpr]) throws(SQLRefusal) -> String {
        let text = args[0], n = "length(\(text))"
        let start: Int64
        switch bound[1].unshared {
        case .constant(.integer(let written)): start = written
        case .negate(.constant(.integer(let written)), _): start = -written
        default: throw SQLRefusal("substr with a start that is not written out is not written as SQL")
        }
        let first = start > 0 ? "\(start - 1)" : start < 0 ? "(\(n) + \(start))" : "-1"
        var from = first, to = n
        if args.count == 3 {
            let length = args[2]
            from = "CASE WHEN \(length) < 0 THEN \(first) + \(length) ELSE \(first) END"
            to = "CASE WHEN \(length) < 0 THEN \(first) ELSE \(first) + \(length) END"
        }
        let low = "greatest(0, least(\(n), \(from)))", high = "greatest(0, least(\(n), \(to)))"
        let nulls = args.count == 3 ? "\(text) IS NULL OR \(args[2]) IS NULL" : "\(text) IS NULL"
        return "CASE WHEN \(nulls) THEN NULL WHEN \(low) < \(high) THEN substr(\(text), \(low) + 1, \(high) - \(low)) ELSE '' END"
    }
}
