import CustqDiagnostics

/// Parses statements (see the README's Query language section for the grammar).
/// Recursive descent with a depth limit, so no input can exhaust the stack, and every
/// loop consumes a token, so no input can hang it.
public struct Parser {
    static let maxDepth = 200
    /// The largest count a statement takes (`top N`, `limit N`, `bins N`).
    static let maxCount = 1_000_000_000
    /// The most operators one statement may hold: binding and evaluating go as deep as a
    /// chain of them (`a + b + c …`), and this keeps that depth well inside the stack.
    static let maxOperators = 10_000

    let tokens: [Token]
    let bytes: [UInt8]
    var index = 0
    private var depth = 0
    /// The argument of the last prefix aggregate when it was one bare word (`count bye`):
    /// a typo of a keyword reads as a column there, and the error should say so.
    var lastPrefixArgument: Token?
    /// Binary operators met so far in the statement.
    private var operators = 0

    public init(_ source: String) throws(LanguageError) {
        tokens = try Lexer(source).tokens()
        bytes = Array(source.utf8)
    }

    /// All statements of `source`, separated by `;`.
    public static func parse(_ source: String) throws(LanguageError) -> [Statement] {
        var parser = try Parser(source)
        var statements: [Statement] = []
        while true {
            while parser.current.isSymbol(";") { parser.advance() }
            if case .end = parser.current.kind { return statements }
            let first = parser.current
            try parser.rejectSQL()
            let statement = try parser.statement()
            statements.append(statement)
            if parser.current.isSymbol(";") { continue }
            if case .end = parser.current.kind { return statements }
            throw parser.strayToken(after: statement, first: first)
        }
    }

    // MARK: Tokens

    var current: Token { tokens[index] }
    var next: Token { tokens[min(index + 1, tokens.count - 1)] }
    var previous: Token? { index > 0 ? tokens[index - 1] : nil }

    /// Whether `token` ends a statement (`;` or the end of the text).
    func endsStatement(_ token: Token) -> Bool {
        if case .end = token.kind { return true }
        return token.isSymbol(";")
    }

    func text(_ start: Int, _ end: Int) -> String {
        let start = max(0, min(start, bytes.count)), end = max(start, min(end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    var previousEnd: Int { index > 0 ? tokens[index - 1].range.end : 0 }

    private mutating func accept(keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            advance()
            return true
        }
        return false
    }

    private mutating func accept(symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            advance()
            return true
        }
        return false
    }

    private mutating func expect(symbol: String, after: String) throws(LanguageError) {
        guard accept(symbol: symbol) else { throw ParseErrors.expected("'\(symbol)'", after: after, found: current) }
    }

    private mutating func close(_ opening: String) throws(LanguageError) {
        guard accept(symbol: ")") else { throw ParseErrors.unclosed(opening, found: current) }
    }

    private mutating func expect(keyword: String, after: String) throws(LanguageError) {
        guard accept(keyword: keyword) else {
            var error = ParseErrors.expected("'\(keyword)'", after: after, found: current)
            // `top 5 bi clv`: a keyword mistyped is named like a mistyped column.
            if let word = current.keyword, EditDistance.between(word, keyword) <= max(1, keyword.count / 3) {
                error.help = "did you mean '\(keyword)'?"
            }
            throw error
        }
    }

    private mutating func wholeNumber(_ what: String) throws(LanguageError) -> Int {
        guard case .number(let value, true) = current.kind, value >= 1, value <= Double(Self.maxCount) else {
            throw ParseErrors.wholeNumber(what, found: current)
        }
        advance()
        return Int(value)
    }

    /// A name: a bare word that is not a keyword here, or a name in backticks.
    private mutating func name(_ what: String, after: String) throws(LanguageError) -> (String, SourceRange) {
        switch current.kind {
        case .word(let word) where !Grammar.clauseWords.contains(word.lowercased()) && !Grammar.operatorWords.contains(word.lowercased()):
            let range = current.range
            advance()
            return (word, range)
        case .quotedName(let quoted):
            let range = current.range
            advance()
            return (quoted, range)
        default:
            throw ParseErrors.expected(what, after: after, found: current)
        }
    }

    // MARK: Statements

    private mutating func statement() throws(LanguageError) -> Statement {
        let start = current.range.start
        operators = 0
        // `exit`, `quit` and `help` alone are what people type into any shell.
        if let word = current.keyword, word == "exit" || word == "quit", endsStatement(next) {
            advance()
            return Statement(.quit, SourceRange(start, previousEnd))
        }
        if current.isKeyword("help"), endsStatement(next) || (next.keyword != nil && endsStatement(tokens[min(index + 2, tokens.count - 1)])) {
            advance()
            var topic: String?
            if let word = current.keyword { topic = word; advance() }
            return Statement(.help(topic: topic), SourceRange(start, previousEnd))
        }
        if current.isKeyword("undefine") {
            advance()
            let (name, nameRange) = try self.name("the name of a definition", after: "undefine")
            return Statement(.undefine(name: name, nameRange: nameRange), SourceRange(start, previousEnd))
        }
        if current.isKeyword("define") {
            advance()
            let (name, nameRange) = try self.name("a name to define", after: "define")
            try expect(symbol: "=", after: name)
            let expression = try self.expression()
            var about = DefinitionText()
            while let word = current.keyword, DefinitionText.words.contains(word), case .string = next.kind {
                advance()
                guard case .string(let text) = current.kind else { break }
                advance()
                switch word {
                case "label": about.label = text
                case "chinese": about.chinese = text
                case "kind": about.kind = text
                case "unit": about.unit = text
                case "about": about.about = text
                case "levels": about.levels = text.split(separator: ",").map { String($0).trimmingWhitespace }
                default: about.notes.append(text)
                }
            }
            return Statement(.define(name: name, nameRange: nameRange, expression: expression, about: about),
                             SourceRange(start, previousEnd))
        }
        var table: (String, SourceRange)?
        if current.isKeyword("from") {
            advance()
            table = try name("a table name", after: "from")
            // rfm and abc score customers, from their orders: no table to choose.
            if let word = current.keyword, word == "rfm" || word == "abc" {
                throw LanguageError("\(word) scores the customers (from their orders), so it takes no from TABLE",
                                    SourceRange(start, current.range.end),
                                    help: word == "rfm" ? "write rfm [by GROUP] [where CONDITION] [order by …] [limit N]"
                                                        : "write abc by VALUE [where CONDITION] [order by …] [limit N]")
            }
        }
        var query = try head()
        query.table = table
        try clauses(&query)
        return Statement(.query(query), SourceRange(start, previousEnd))
    }

    private mutating func head() throws(LanguageError) -> Query {
        let word = current.keyword
        switch word {
        case "top", "bottom":
            advance()
            let count = try wholeNumber("the number of rows after '\(word!)'")
            try expect(keyword: "by", after: "\(word!) \(count)")
            let key = try expression()
            var descending = word == "top"
            if accept(keyword: "asc") { descending = false } else if accept(keyword: "desc") { descending = true }
            return Query(form: .top(count: count, by: key, descending: descending))
        case "show":
            advance()
            if accept(symbol: "*") { return Query(form: .show(items: [], all: true)) }
            guard startsExpression(current) else {
                throw LanguageError("show needs the columns to list, or *", ParseErrors.range(of: current),
                                    help: "e.g. show name, region where tier = A, or show * limit 10")
            }
            return Query(form: .show(items: try items(after: "show"), all: false))
        case "describe":
            advance()
            var columns: [Expr] = []
            if startsExpression(current) {
                columns.append(try expression())
                while accept(symbol: ",") { columns.append(try expression()) }
            }
            return Query(form: .describe(columns: columns))
        case "histogram":
            advance()
            guard startsExpression(current) else {
                throw LanguageError("histogram needs a column (or expression) to count", ParseErrors.range(of: current),
                                    help: "e.g. histogram annual_revenue, or histogram nps_score bins 5")
            }
            return Query(form: .histogram(try expression(after: "histogram")))
        case "chart":
            advance()
            guard startsExpression(current) else {
                throw LanguageError("chart needs an aggregate to draw per group", ParseErrors.range(of: current),
                                    help: "e.g. chart avg annual_revenue by region")
            }
            return Query(form: .chart(try item(after: "chart")))
        case "rfm" where endsStatement(next) || next.keyword.map(Grammar.clauseWords.contains) == true:
            advance()
            return Query(form: .rfm)
        case "abc" where !next.isSymbol("("):
            advance()
            try expect(keyword: "by", after: "abc")
            guard startsExpression(current) else {
                throw ParseErrors.expected("the value to class customers by", after: "abc by", found: current)
            }
            let value = try expression(after: "abc by")
            if current.isSymbol(",") {
                throw LanguageError("abc classes the customers by one value", ParseErrors.range(of: current),
                                    help: "for classes within groups, count by abc(VALUE), GROUP")
            }
            return Query(form: .abc(value: value))
        case "cohort":
            advance()
            guard accept(keyword: "by") else { return Query(form: .cohort(.month)) }
            let token = current
            guard let word = token.keyword, let period = CohortPeriod(rawValue: word) else {
                throw ParseErrors.expected("month, quarter or year", after: "cohort by", found: token)
            }
            advance()
            return Query(form: .cohort(period))
        default:
            if startsExpression(current) { return Query(form: .aggregate(items: try items(after: nil))) }
            let suggestion = current.keyword.flatMap { EditDistance.closest(to: $0, in: Grammar.heads) }
            throw ParseErrors.unknownStart(current, suggestion: suggestion)
        }
    }

    private mutating func items(after: String?) throws(LanguageError) -> [SelectItem] {
        var result = [try item(after: after)]
        while accept(symbol: ",") { result.append(try item(after: ",")) }
        return result
    }

    private mutating func item(after: String?) throws(LanguageError) -> SelectItem {
        let expression = try self.expression(after: after)
        if accept(keyword: "as") {
            let (alias, _) = try name("a name", after: "as")
            return SelectItem(expression, alias: alias)
        }
        return SelectItem(expression)
    }

    private mutating func clauses(_ query: inout Query) throws(LanguageError) {
        var seen = Set<String>()
        while let word = current.keyword, ["where", "by", "order", "limit", "show", "bins"].contains(word) {
            let token = current
            if seen.contains(word) { throw ParseErrors.repeatedClause(word, at: token) }
            seen.insert(word)
            advance()
            switch word {
            case "where":
                query.filter = try expression(after: "where")
            case "by":
                guard allowsGroups(query.form) else { throw ParseErrors.clauseNotAllowed("by", in: formName(query.form), at: token) }
                query.groups = [try expression(after: "by")]
                while accept(symbol: ",") { query.groups.append(try expression(after: ",")) }
            case "order":
                guard allowsOrderAndLimit(query.form) else {
                    throw ParseErrors.clauseNotAllowed("order by", in: formName(query.form), at: token, help: orderAndLimitHelp(query.form))
                }
                try expect(keyword: "by", after: "order")
                repeat {
                    let key = try expression(after: query.order.isEmpty ? "order by" : ",")
                    var descending = false
                    if accept(keyword: "desc") { descending = true } else { _ = accept(keyword: "asc") }
                    query.order.append(OrderKey(key, descending: descending))
                } while accept(symbol: ",")
            case "limit":
                guard allowsOrderAndLimit(query.form) else {
                    throw ParseErrors.clauseNotAllowed("limit", in: formName(query.form), at: token, help: orderAndLimitHelp(query.form))
                }
                query.limit = try wholeNumber("the limit")
            case "show":
                guard case .top = query.form else { throw ParseErrors.clauseNotAllowed("show", in: formName(query.form), at: token) }
                query.extraColumns = try items(after: "show")
            default:
                guard case .histogram = query.form else { throw ParseErrors.clauseNotAllowed("bins", in: formName(query.form), at: token) }
                query.bins = try wholeNumber("the number of bins")
            }
        }
    }

    private func allowsGroups(_ form: Query.Form) -> Bool {
        switch form {
        case .aggregate, .chart, .rfm: true
        default: false
        }
    }

    /// Forms whose rows `order by` and `limit` arrange; the others have an order of their own.
    func allowsOrderAndLimit(_ form: Query.Form) -> Bool {
        switch form {
        case .show, .aggregate, .chart, .rfm, .abc: true
        case .top, .describe, .histogram, .cohort: false
        }
    }

    private func orderAndLimitHelp(_ form: Query.Form) -> String {
        switch form {
        case .top: "top N by EXPR already orders by EXPR and keeps N rows"
        case .describe: "describe lists the columns in the table's order"
        case .histogram: "a histogram lists its bins in order; bins N sets how many"
        default: "cohort lists cohorts oldest first; where chooses the orders it reads"
        }
    }

    func formName(_ form: Query.Form) -> String {
        switch form {
        case .top: "top/bottom"
        case .show: "show"
        case .aggregate: "an aggregate list"
        case .describe: "describe"
        case .histogram: "histogram"
        case .chart: "chart"
        case .cohort: "cohort"
        case .rfm: "rfm"
        case .abc: "abc"
        }
    }

    // MARK: Expressions

    private func startsExpression(_ token: Token) -> Bool {
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

    private mutating func expression(after: String? = nil) throws(LanguageError) -> Expr {
        guard startsExpression(current) else { throw ParseErrors.expected("an expression", after: after, found: current) }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw ParseErrors.tooDeep(current) }
        return try or()
    }

    /// Counts an operator, refusing a statement with more than `maxOperators`.
    private mutating func countOperator() throws(LanguageError) {
        operators += 1
        if operators > Self.maxOperators {
            throw LanguageError("this statement has more than \(NumberFormat.grouped(Self.maxOperators)) operators", ParseErrors.range(of: current),
                                help: "split it into definitions (define part1 = …), or use in (…) for a list of values")
        }
    }

    private mutating func or() throws(LanguageError) -> Expr {
        var left = try and()
        while current.isKeyword("or") {
            try countOperator()
            advance()
            let right = try and()
            left = Expr(.binary(.or, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func and() throws(LanguageError) -> Expr {
        var left = try not()
        while current.isKeyword("and") {
            try countOperator()
            advance()
            let right = try not()
            left = Expr(.binary(.and, left, right), left.range.union(right.range))
        }
        return left
    }

    private mutating func not() throws(LanguageError) -> Expr {
        if current.isKeyword("not") {
            let start = current.range.start
            advance()
            let operand = try nested { (p: inout Parser) throws(LanguageError) in try p.not() }
            return Expr(.unary(.not, operand), SourceRange(start, operand.range.end))
        }
        return try comparison()
    }

    private mutating func comparison() throws(LanguageError) -> Expr {
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

    private mutating func additive() throws(LanguageError) -> Expr {
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

    private mutating func multiplicative() throws(LanguageError) -> Expr {
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

    private mutating func unary() throws(LanguageError) -> Expr {
        if current.isSymbol("-") {
            let start = current.range.start
            advance()
            let operand = try nested { (p: inout Parser) throws(LanguageError) in try p.unary() }
            return Expr(.unary(.negate, operand), SourceRange(start, operand.range.end))
        }
        return try primary()
    }

    /// Runs a recursive step under the depth limit.
    private mutating func nested(_ body: (inout Parser) throws(LanguageError) -> Expr) throws(LanguageError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw ParseErrors.tooDeep(current) }
        return try body(&self)
    }

    private mutating func primary() throws(LanguageError) -> Expr {
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
    private mutating func qualified(_ base: Expr) throws(LanguageError) -> Expr {
        guard current.isSymbol("."), case .name(let table, _) = base.kind else { return base }
        advance()
        let (column, range) = try name("a column name", after: table + ".")
        return Expr(.qualified(table: table, column: column), base.range.union(range))
    }

    private mutating func call(name: String, start: Int) throws(LanguageError) -> Expr {
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
