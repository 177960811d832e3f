import CustqText

/// What the parser says when a statement goes wrong in a way people often get it wrong:
/// SQL habits, words left over after a complete statement, keywords mistyped. Each
/// message points at the token that is the mistake and says what to write instead.
extension Parser {
    /// Clause keywords a mistyped word is compared with (`wher` → `where`).
    static let clauseKeywords = ["where", "by", "order", "limit", "show", "bins", "asc", "desc", "as", "and", "or", "from"]

    /// `select … from …` is SQL: say so, and show the statement in custq.
    mutating func rejectSQL() throws(LanguageError) {
        guard let word = current.keyword else { return }
        switch word {
        case "select":
            guard !endsStatement(next) else { return }
            throw LanguageError("custq is not SQL: a query says what to show or compute, without select",
                                ParseErrors.range(of: current), help: "in custq: " + custqForm(ofSelect: index))
        case "insert", "update", "delete", "create", "drop", "alter":
            guard !endsStatement(next), next.keyword != nil else { return }
            throw LanguageError("custq is not SQL, and it only reads data: '\(current.text)' has no meaning here",
                                ParseErrors.range(of: current),
                                help: "load files with .load FILE; define NAME = EXPR adds a computed column")
        default:
            return
        }
    }

    /// `select * from customers where …` → `from customers show * where …`;
    /// `select region, count(*) from customers group by region` → `from customers count by region`.
    private func custqForm(ofSelect start: Int) -> String {
        // The statement's tokens after select, and where each SQL clause starts (at depth 0).
        var end = start + 1, depth = 0
        var clauses: [(word: String, index: Int)] = []
        let clauseWords: Set<String> = ["from", "where", "group", "order", "limit", "having"]
        while end < tokens.count, !(depth == 0 && endsStatement(tokens[end])) {
            if case .end = tokens[end].kind { break }
            if tokens[end].isSymbol("(") { depth += 1 } else if tokens[end].isSymbol(")") { depth = max(0, depth - 1) }
            if depth == 0, let word = tokens[end].keyword, clauseWords.contains(word) { clauses.append((word, end)) }
            end += 1
        }
        func slice(_ from: Int, _ to: Int) -> String {
            guard from < to else { return "" }
            return text(tokens[from].range.start, tokens[to - 1].range.end).trimmingWhitespace
        }
        func clause(_ word: String, skip: Int = 1) -> String? {
            guard let position = clauses.firstIndex(where: { $0.word == word }) else { return nil }
            let next = position + 1 < clauses.count ? clauses[position + 1].index : end
            return slice(clauses[position].index + skip, next)
        }
        // The items, split at commas outside parentheses; an aggregate call is `name(`.
        let itemsEnd = clauses.first?.index ?? end
        var items: [(text: String, aggregate: Bool)] = []
        var itemStart = start + 1
        depth = 0
        for i in (start + 1)...itemsEnd {
            if i < itemsEnd, tokens[i].isSymbol("(") { depth += 1 }
            if i < itemsEnd, tokens[i].isSymbol(")") { depth -= 1 }
            if i == itemsEnd || (depth == 0 && tokens[i].isSymbol(",")) {
                let aggregate = tokens[itemStart].keyword.map(Grammar.aggregateWords.contains) == true
                    && itemStart + 1 < i && tokens[itemStart + 1].isSymbol("(")
                var text = slice(itemStart, i)
                if aggregate, text.lowercased().replacing(" ", with: "") == "count(*)" { text = "count" }
                if !text.isEmpty { items.append((text, aggregate)) }
                itemStart = i + 1
            }
        }
        let groups = clause("group", skip: 2)
        var form: String
        if items.count == 1, items[0].text == "*" {
            form = "show *"
        } else if groups != nil || items.contains(where: \.aggregate) {
            // Grouped: the aggregates are listed, the groups go after by.
            let aggregates = items.filter(\.aggregate).map(\.text)
            form = aggregates.isEmpty ? "count" : aggregates.joined(separator: ", ")
        } else {
            form = "show " + items.map(\.text).joined(separator: ", ")
        }
        var parts: [String] = []
        if let table = clause("from") { parts.append("from " + table) }
        parts.append(form)
        if let groups { parts.append("by " + groups) }
        if let condition = clause("where") { parts.append("where " + condition) }
        if let order = clause("order", skip: 2) { parts.append("order by " + order) }
        if let limit = clause("limit") { parts.append("limit " + limit) }
        return parts.joined(separator: " ")
    }

    /// The error for a token left over after a complete statement: what it probably is.
    func strayToken(after statement: Statement, first: Token) -> LanguageError {
        let token = current
        let range = ParseErrors.range(of: token)
        // `tops 10 by clv` reads as a list naming `tops`: say what was probably meant.
        if let word = first.keyword, !Grammar.statementWords.contains(word), !Grammar.aggregateWords.contains(word),
           let head = EditDistance.closest(to: word, in: Grammar.statementWords) {
            return ParseErrors.unknownStart(first, suggestion: head)
        }
        // `count bye tier`: the mistyped keyword was read as the aggregate's column.
        if let argument = lastPrefixArgument, previous?.range == argument.range, let word = argument.keyword,
           let keyword = closeKeyword(word), index >= 2 {
            return LanguageError("unexpected '\(argument.text)' after '\(tokens[index - 2].text)'",
                                 ParseErrors.range(of: argument), help: "did you mean '\(keyword)'?")
        }
        var query: Query?
        if case .query(let q) = statement.kind { query = q }
        switch token.kind {
        case .word(let word):
            let lowered = word.lowercased()
            if lowered == "from" { return fromGoesFirst(at: index, statementStart: first.range.start) }
            if case .define = statement.kind {
                return LanguageError("'\(word)' does not go with define: a definition ends with its expression", range,
                                     help: "use the name in a query instead, e.g. count where NAME")
            }
            if let keyword = closeKeyword(lowered), keyword != lowered {
                return LanguageError("unexpected '\(word)'", range, help: "did you mean '\(keyword)'?")
            }
            if ["asc", "desc"].contains(lowered) {
                return LanguageError("'\(word)' goes after what it orders", range,
                                     help: "e.g. order by \(previous?.text ?? "x") \(lowered)")
            }
            let listed = query.map { if case .top = $0.form { return false } else { return true } } ?? false
            return LanguageError("unexpected '\(word)' after '\(previous?.text ?? "")'", range,
                                 help: listed ? "separate items with a comma: \(previous?.text ?? ""), \(word)" : nil)
        case .number:
            if let query, allowsOrderAndLimit(query.form) {
                return LanguageError("unexpected number \(token.text)", range,
                                     help: "to keep the first \(token.text == "1" ? "row" : token.text + " rows"), write limit \(token.text)")
            }
            return ParseErrors.trailing(token)
        case .symbol(let symbol) where ["=", "!=", "<", "<=", ">", ">="].contains(symbol):
            return LanguageError("a comparison cannot follow another comparison", range,
                                 help: "combine comparisons with and, e.g. csat > 1 and csat < 5")
        case .symbol("."):
            return LanguageError("unexpected '.'", range,
                                 help: "a decimal number has digits after the point (5.0); a column of another table is table.column")
        case .symbol("*"):
            if let query, case .describe = query.form {
                return LanguageError("describe takes column names, not *", range,
                                     help: "describe alone describes every column; describe a, b describes some")
            }
            return ParseErrors.trailing(token)
        case .symbol(")"):
            return LanguageError("this ')' closes nothing", range)
        default:
            return ParseErrors.trailing(token)
        }
    }

    /// A clause keyword `word` is probably a typo of (distance 1 for short words, 2 for long).
    private func closeKeyword(_ word: String) -> String? {
        guard word.count >= 2 else { return nil }
        let limit = word.count >= 5 ? 2 : 1
        var best: (String, Int)?
        for keyword in Self.clauseKeywords {
            let distance = EditDistance.between(word, keyword)
            if distance <= limit, best == nil || distance < best!.1 { best = (keyword, distance) }
        }
        return best?.0
    }

    /// `show * from orders`: the table goes first.
    private func fromGoesFirst(at fromIndex: Int, statementStart: Int) -> LanguageError {
        var end = fromIndex + 1
        while end < tokens.count, !endsStatement(tokens[end]) { end += 1 }
        let before = text(statementStart, tokens[fromIndex].range.start).trimmingWhitespace
        var help = "from TABLE goes first, e.g. from orders " + before
        if fromIndex + 1 < end {
            let table = tokens[fromIndex + 1]
            let after = table.range.end < tokens[end - 1].range.end
                ? text(table.range.end, tokens[end - 1].range.end).trimmingWhitespace : ""
            help = "from TABLE goes first: from \(table.text) \(before)" + (after.isEmpty ? "" : " " + after)
        }
        return LanguageError("'from' goes before the query, not after it", ParseErrors.range(of: tokens[fromIndex]),
                             help: help)
    }
}
