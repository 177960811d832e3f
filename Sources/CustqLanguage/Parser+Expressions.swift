import CustqText

/// Expressions, by precedence: or, and, not, comparisons, sums, products, unary minus,
/// then calls, names, literals and parentheses.
extension Parser {
    func startsExpression(_ token: Token) -> Bool {
        switch token.kind {
        case .number, .string, .date, .quotedName: return true
        case .word(let word):
            let lowered = word.lowercased()
            return !Grammar.clauseWords.contains(lowered)
                && !["and", "or", "in", "between", "is"].contains(lowered)
        case .symbol(let symbol): return symbol == "(" || symbol == "-"
        case .end: return false
        }
    }

    mutating func expression(after: String? = nil) throws(LanguageError) -> Expr {
        guard startsExpression(current) else { throw ParseErrors.expected("an expression", after: after, found: current) }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw ParseErrors.tooDeep(current) }
        return try or()
    }

    /// Counts an operator, refusing a statement with more than `maxOperators`.
    mutating func countOperator() throws(LanguageError) {
        operators += 1
        if operators > Self.maxOperators {
            throw LanguageError("this statement has more than \(NumberFormat.grouped(Self.maxOperators)) operators", ParseErrors.range(of: current),
                                help: "split it into definitions (define part1 = …), or use in (…) for a list of values")
        }
    }

    mutating func or() throws(LanguageError) -> Expr {
        var left = try and()
        while current.isKeyword("or") {
            try countOperator()
            advance()
            let right = try and()
            left = Expr(.binary(.or, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func and() throws(LanguageError) -> Expr {
        var left = try not()
        while current.isKeyword("and") {
            try countOperator()
            advance()
            let right = try not()
            left = Expr(.binary(.and, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func not() throws(LanguageError) -> Expr {
        if current.isKeyword("not") {
            let start = current.range.start
            advance()
            let operand = try nested { (p: inout Parser) throws(LanguageError) in try p.not() }
            return Expr(.unary(.not, operand), SourceRange(start, operand.range.end))
        }
        return try comparison()
    }

    mutating func comparison() throws(LanguageError) -> Expr {
        let left = try additive()
        if case .symbol(let symbol) = current.kind, let op = BinaryOperator(rawValue: symbol), op.isComparison {
            advance()
            let right = try additive()
            return Expr(.binary(op, left, right), left.range.union(right.range))
        }
        var negated = false
        if current.isKeyword("not"), next.isKeyword("in") || next.isKeyword("between") || next.isKeyword("like")
            || next.isKeyword("ilike") {
            negated = true
            advance()
        }
        // `name like 'A%'`, `email ilike '%@gmail.com'`: SQL patterns (% any text, _ one
        // character), as calls of like and ilike.
        for word in ["like", "ilike"] where current.isKeyword(word) {
            advance()
            let pattern = try additive()
            let call = Expr(.call(name: word, arguments: [left, pattern], star: false), left.range.union(pattern.range))
            return negated ? Expr(.unary(.not, call), call.range) : call
        }
        if accept(keyword: "in") {
            try expect(symbol: "(", after: negated ? "not in" : "in")
            var values = [try expression(after: "(")]
            while accept(symbol: ",") { values.append(try expression(after: ",")) }
            try close("(")
            return Expr(.inList(left, values, negated: negated), SourceRange(left.range.start, previousEnd))
        }
        if accept(keyword: "between") {
            let low = try additive()
            try expect(keyword: "and", after: "between \(low.range.length > 0 ? "…" : "")")
            let high = try additive()
            return Expr(.between(left, low, high, negated: negated), left.range.union(high.range))
        }
        if accept(keyword: "is") {
            let isNot = accept(keyword: "not")
            try expect(keyword: "null", after: isNot ? "is not" : "is")
            return Expr(.isNull(left, negated: isNot), SourceRange(left.range.start, previousEnd))
        }
        return left
    }

    mutating func additive() throws(LanguageError) -> Expr {
        var left = try multiplicative()
        while case .symbol(let symbol) = current.kind, symbol == "+" || symbol == "-" || symbol == "||" {
            try countOperator()
            advance()
            let right = try multiplicative()
            if symbol == "||" {
                // Joined text, null when either side is (concat() skips nulls instead).
                left = Expr(.call(name: "||", arguments: [left, right], star: false), left.range.union(right.range))
                continue
            }
            left = Expr(.binary(symbol == "+" ? .add : .subtract, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func multiplicative() throws(LanguageError) -> Expr {
        var left = try unary()
        while case .symbol(let symbol) = current.kind, symbol == "*" || symbol == "/" || symbol == "%" {
            try countOperator()
            advance()
            let right = try unary()
            let op: BinaryOperator = symbol == "*" ? .multiply : symbol == "/" ? .divide : .remainder
            left = Expr(.binary(op, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func unary() throws(LanguageError) -> Expr {
        if current.isSymbol("-") {
            let start = current.range.start
            advance()
            let operand = try nested { (p: inout Parser) throws(LanguageError) in try p.unary() }
            return Expr(.unary(.negate, operand), SourceRange(start, operand.range.end))
        }
        return try primary()
    }

    /// Runs a recursive step under the depth limit.
    mutating func nested(_ body: (inout Parser) throws(LanguageError) -> Expr) throws(LanguageError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw ParseErrors.tooDeep(current) }
        return try body(&self)
    }

    mutating func primary() throws(LanguageError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let value, let isInteger):
            advance()
            return Expr(.number(value, isInteger: isInteger), token.range)
        case .string(let text):
            advance()
            return Expr(.string(text), token.range)
        case .date(let day):
            advance()
            return Expr(.date(day), token.range)
        case .quotedName(let name):
            advance()
            return try qualified(Expr(.name(name, quoted: true), token.range))
        case .symbol("("):
            advance()
            let inner = try expression(after: "(")
            try close("(")
            return Expr(inner.kind, SourceRange(token.range.start, previousEnd))
        case .word(let word):
            let lowered = word.lowercased()
            switch lowered {
            case "true", "false":
                advance()
                return Expr(.boolean(lowered == "true"), token.range)
            case "null":
                advance()
                return Expr(.null, token.range)
            default:
                break
            }
            // like and ilike are operators, and functions when called: like(name, 'A%').
            let called = (lowered == "like" || lowered == "ilike") && next.isSymbol("(")
            if !called, Grammar.clauseWords.contains(lowered) || Grammar.operatorWords.contains(lowered) {
                throw ParseErrors.expected("an expression", after: nil, found: token)
            }
            advance()
            if current.isSymbol("(") { return try call(name: word, start: token.range.start) }
            if Grammar.aggregateWords.contains(lowered), startsExpression(current), !current.isSymbol("-") {
                // Prefix form: `avg clv` means avg(clv). The argument is one term, so
                // `sum amount / count` is sum(amount) / count; write avg(a * b) for more.
                let argumentToken = current
                let argument = try nested { (p: inout Parser) throws(LanguageError) in try p.unary() }
                if case .name(_, quoted: false) = argument.kind, argument.range == argumentToken.range {
                    lastPrefixArgument = argumentToken
                }
                return Expr(.call(name: lowered, arguments: [argument], star: false), token.range.union(argument.range))
            }
            if lowered == "count" {
                // `count` alone counts rows (a column named count is written `count`).
                return Expr(.call(name: "count", arguments: [], star: false), token.range)
            }
            return try qualified(Expr(.name(word, quoted: false), token.range))
        default:
            throw ParseErrors.expected("an expression", after: nil, found: token)
        }
    }

    /// `table.column` after a name.
    mutating func qualified(_ base: Expr) throws(LanguageError) -> Expr {
        guard current.isSymbol("."), case .name(let table, _) = base.kind else { return base }
        advance()
        let (column, range) = try name("a column name", after: table + ".")
        return Expr(.qualified(table: table, column: column), base.range.union(range))
    }

    mutating func call(name: String, start: Int) throws(LanguageError) -> Expr {
        advance()  // (
        var arguments: [Expr] = []
        var star = false
        if accept(symbol: "*") {
            star = true
        } else if !current.isSymbol(")") {
            arguments.append(try expression(after: "("))
            while accept(symbol: ",") { arguments.append(try expression(after: ",")) }
        }
        try close("\(name)(")
        return Expr(.call(name: name.lowercased(), arguments: arguments, star: star), SourceRange(start, previousEnd))
    }
}
