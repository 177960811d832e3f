import CustqText

/// Statements: each form's head and the clauses that may follow it, with the rules of
/// which clauses go with which form.
extension Parser {
    mutating func statement() throws(LanguageError) -> Statement {
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
        if current.isKeyword("metrics"), endsStatement(next) {
            advance()
            return Statement(.metrics, SourceRange(start, previousEnd))
        }
        if current.isKeyword("explain") { return try explain(from: start) }
        // `clv` then a word that is no clause or operator: a model statement (clv, clv fit, …).
        if current.isKeyword("clv"),
           endsStatement(next) || next.keyword.map({ !Grammar.clauseWords.contains($0) && !Grammar.operatorWords.contains($0) }) == true {
            return try model(from: start)
        }
        if current.isKeyword("undefine") {
            advance()
            let (name, nameRange) = try self.name("the name of a definition", after: "undefine")
            return Statement(.undefine(name: name, nameRange: nameRange), SourceRange(start, previousEnd))
        }
        if current.isKeyword("define") {
            advance()
            let (name, nameRange) = try self.name("a name to define", after: "define")
            let parameters = try self.parameters(of: name)
            try expect(symbol: "=", after: parameters.isEmpty ? name : "\(name)(\(parameters.joined(separator: ", ")))")
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
            return Statement(.define(name: name, nameRange: nameRange, expression: expression, about: about, parameters: parameters),
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

    /// `clv` alone, `clv check`, `clv track`, or `clv fit [bgnbd|pnbd] [by day|week|month]`.
    /// A definition's parameters, `(x, y)` after its name; none without parentheses.
    mutating func parameters(of name: String) throws(LanguageError) -> [String] {
        guard current.isSymbol("(") else { return [] }
        advance()
        var parameters: [String] = []
        repeat {
            let (parameter, range) = try self.name("a parameter name", after: parameters.last ?? "\(name)(")
            guard !parameters.contains(where: { $0.lowercased() == parameter.lowercased() }) else {
                throw LanguageError("\(name) names the parameter \(parameter) twice", range,
                                    help: "give each parameter its own name, e.g. define \(name)(x, y) = …")
            }
            parameters.append(parameter)
        } while accept(symbol: ",")
        guard accept(symbol: ")") else { throw ParseErrors.unclosed("(", found: current) }
        return parameters
    }

    mutating func model(from start: Int) throws(LanguageError) -> Statement {
        advance()
        for (word, statement) in [("check", ModelStatement.check), ("track", .track)] where current.isKeyword(word) {
            advance()
            guard endsStatement(current) else {
                throw LanguageError("clv \(word) takes nothing after it", current.range, help: "write clv \(word)")
            }
            return Statement(.model(statement), SourceRange(start, previousEnd))
        }
        if endsStatement(current) { return Statement(.model(.show), SourceRange(start, previousEnd)) }
        guard current.isKeyword("fit") else {
            throw LanguageError("clv is followed by fit, check or track, or by nothing", current.range,
                                help: "clv fit [bgnbd|pnbd] [by day|week|month]; clv check; clv track; clv shows the fit")
        }
        advance()
        let help = "write clv fit [bgnbd|pnbd] [by day|week|month] (bgnbd and week by default)"
        var model: PurchaseModelKind?
        if let word = current.keyword, !endsStatement(current), word != "by" {
            guard let kind = PurchaseModelKind(rawValue: word) else {
                throw LanguageError("clv fit fits bgnbd (BG/NBD) or pnbd (Pareto/NBD), not '\(word)'", current.range, help: help)
            }
            model = kind
            advance()
        }
        var unit: ModelTimeUnit?
        if current.isKeyword("by") {
            advance()
            guard let word = current.keyword, let given = ModelTimeUnit(rawValue: word) else {
                throw LanguageError("clv fit counts time by day, week or month", current.range, help: help)
            }
            unit = given
            advance()
        }
        guard endsStatement(current) else {
            throw LanguageError("clv fit takes a model and a time unit, nothing more", current.range, help: help)
        }
        return Statement(.model(.fit(model: model, unit: unit)), SourceRange(start, previousEnd))
    }

    /// `explain NAME`: one metric's name, and nothing after it.
    mutating func explain(from start: Int) throws(LanguageError) -> Statement {
        advance()
        let help = "e.g. explain nps; metrics lists them"
        guard !endsStatement(current) else {
            throw LanguageError("explain takes one metric name", SourceRange(start, previousEnd), help: help)
        }
        let (name, nameRange) = try self.name("a metric name", after: "explain")
        guard endsStatement(current) else {
            var end = current.range.end
            while !endsStatement(current) { end = current.range.end; advance() }
            throw LanguageError("explain takes one metric name", SourceRange(nameRange.end + 1, end), help: help)
        }
        return Statement(.explain(name: name, nameRange: nameRange), SourceRange(start, previousEnd))
    }

    mutating func head() throws(LanguageError) -> Query {
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
        case "retention" where startsPeriodTable, "growth" where startsPeriodTable:
            let measure = PeriodMeasure(rawValue: word!)!
            advance()
            guard accept(keyword: "by") else { return Query(form: .periods(measure, .month)) }
            let token = current
            guard let word = token.keyword, let period = CohortPeriod(rawValue: word) else {
                guard case .word = token.kind else {
                    throw ParseErrors.expected("month, quarter or year", after: "\(measure.rawValue) by", found: token)
                }
                throw LanguageError("\(measure.rawValue) is by period of the orders: expected month, quarter or year after '\(measure.rawValue) by', found \(token.text)",
                                    ParseErrors.range(of: token),
                                    help: measure == .retention ? "for the rate from a churned column by group, write retention_rate by \(token.text)"
                                                                : "e.g. growth by quarter")
            }
            advance()
            return Query(form: .periods(measure, period))
        case "concentration" where endsStatement(next) || next.isKeyword("where"):
            throw LanguageError("concentration needs the value to rank customers by", ParseErrors.range(of: current),
                                help: "e.g. concentration by monetary")
        case "concentration" where next.isKeyword("by"):
            advance()
            advance()
            guard startsExpression(current) else {
                throw ParseErrors.expected("the value to rank customers by", after: "concentration by", found: current)
            }
            return Query(form: .concentration(value: try expression(after: "concentration by")))
        default:
            if startsExpression(current) { return Query(form: .aggregate(items: try items(after: nil))) }
            let suggestion = current.keyword.flatMap { EditDistance.closest(to: $0, in: Grammar.heads) }
            throw ParseErrors.unknownStart(current, suggestion: suggestion)
        }
    }

    /// `retention` or `growth` as a statement of its own: alone, or before `by` or `where`
    /// (otherwise the word is a name, as a column of that name).
    var startsPeriodTable: Bool { next.isKeyword("by") || next.isKeyword("where") || endsStatement(next) }

    mutating func items(after: String?) throws(LanguageError) -> [SelectItem] {
        var result = [try item(after: after)]
        while accept(symbol: ",") { result.append(try item(after: ",")) }
        return result
    }

    mutating func item(after: String?) throws(LanguageError) -> SelectItem {
        let expression = try self.expression(after: after)
        if accept(keyword: "as") {
            let (alias, _) = try name("a name", after: "as")
            return SelectItem(expression, alias: alias)
        }
        return SelectItem(expression)
    }

    mutating func clauses(_ query: inout Query) throws(LanguageError) {
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

    func allowsGroups(_ form: Query.Form) -> Bool {
        switch form {
        case .aggregate, .chart, .rfm: true
        default: false
        }
    }

    /// Forms whose rows `order by` and `limit` arrange; the others have an order of their own.
    func allowsOrderAndLimit(_ form: Query.Form) -> Bool {
        switch form {
        case .show, .aggregate, .chart, .rfm, .abc: true
        case .top, .describe, .histogram, .cohort, .periods, .concentration: false
        }
    }

    func orderAndLimitHelp(_ form: Query.Form) -> String {
        switch form {
        case .top: "top N by EXPR already orders by EXPR and keeps N rows"
        case .describe: "describe lists the columns in the table's order"
        case .histogram: "a histogram lists its bins in order; bins N sets how many"
        case .periods: "the periods are listed oldest first; where chooses the orders it reads"
        case .concentration: "concentration lists the top 1, 5, 10, 20 and 50 % in that order"
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
        case .periods(let measure, _): measure.rawValue
        case .concentration: "concentration"
        case .rfm: "rfm"
        case .abc: "abc"
        }
    }
}
