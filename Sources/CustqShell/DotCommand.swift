import CustqDiagnostics
import CustqEngine
import CustqLanguage
import CustqRender
import CustqStore
import CustqText

/// A shell command starting with a dot: `.tables`, `.schema customers`, `.load data.csv as t`.
struct DotCommand {
    /// Every dot-command, with its usage and one line of help (shown by `.help`).
    static let catalogue: [(name: String, usage: String, help: String)] = [
        ("tables", ".tables", "list the loaded tables with their row and column counts"),
        ("schema", ".schema [TABLE]", "show each column's type, null count and an example value"),
        ("load", ".load FILE [as NAME]", "load a CSV, TSV, JSON or NDJSON file as a table; on a connection, .load TABLE copies a database table in"),
        ("connect", ".connect URL", "connect to PostgreSQL (postgresql://USER@HOST:PORT/DB): its tables are listed, and queries on them run there"),
        ("use", ".use TABLE", "run queries on TABLE when they do not say from"),
        ("read", ".read SCRIPT", "run the statements in a script file"),
        ("link", ".link [COLUMN | TABLE.COLUMN = TABLE.COLUMN]",
         "relate tables through COLUMN (default customer_id) for orders.amount, customers.region; or one pair of tables through their own columns"),
        ("orders", ".orders [TABLE [customer_id=COL|EXPR] [order_date=COL|EXPR] [amount=COL|EXPR] [where CONDITION]]",
         "read TABLE as the orders, naming the columns (or expressions: amount = Quantity * UnitPrice, customer_id = customers.customer_unique_id) that hold the customer, the date and the amount; where keeps the orders that count"),
        ("map", ".map [CANONICAL=COLUMN]",
         "read COLUMN as the canonical column the metrics use (.map csat=满意度); CANONICAL= undoes it; alone, list the matches"),
        ("scoring", ".scoring [ntile|cutpoints]",
         "how RFM scores are cut: equal-count groups (ntile, the default) or value cut points (ties share a score)"),
        ("format", ".format [FORMAT]", "write results as table, csv, tsv, json, ndjson or markdown (.mode also works)"),
        ("output", ".output [FILE|stdout]", "write results to FILE, or back to the screen with stdout; alone, say where they go"),
        ("maxrows", ".maxrows [N]", "show at most N rows of a table (0: all)"),
        ("nullvalue", ".nullvalue [TEXT]", "show null as TEXT in tables"),
        ("timer", ".timer [on|off]", "show how long each query took"),
        ("asof", ".asof [DATE|default]", "the as-of date (YYYY-MM-DD) today() returns; orders after it are left out of customer figures; default: the latest order date loaded, else today"),
        ("sql", ".sql [duckdb|postgres|spark] QUERY", "write QUERY as SQL for DuckDB (the default), PostgreSQL or Spark, instead of running it; .sql DIALECT .schema [TABLE] writes CREATE TABLE statements for the loaded tables"),
        ("help", ".help [TOPIC]", "this list, or more on one command or query form"),
        ("quit", ".quit", "leave custq (also .exit, exit, quit or Ctrl-D)"),
    ]

    /// Names that are accepted without being listed: other shells' spellings.
    static let aliases = ["exit": "quit", "q": "quit", "mode": "format"]

    /// `.map`: the canonical names matched to columns, or one set (`csat=满意度`) or undone (`csat=`).
    func map(in session: Session) throws(Diagnostic) -> Session.Outcome {
        try expectArguments(0...16)
        for argument in arguments {
            guard let equals = argument.text.firstIndex(of: "=") else {
                throw Diagnostic.error(".map takes CANONICAL=COLUMN, got '\(argument.text)'", help: "e.g. .map csat=满意度, or .map csat= to undo")
            }
            let canonical = argument.text[..<equals].lowercased()
            let column = String(argument.text[argument.text.index(after: equals)...])
            guard CustomerColumns.canonicalNames.contains(canonical) else {
                throw Diagnostic.error("'\(canonical)' is no canonical column",
                                       help: "canonical columns: " + CustomerColumns.canonicalNames.joined(separator: ", "))
            }
            if !column.isEmpty, !session.engine.catalog.tables.contains(where: { $0.column(named: column) != nil }) {
                throw Diagnostic.error("no loaded table has a column '\(column)'",
                                       help: "a name with spaces goes in quotes: .map \(canonical)='How satisfied are you?'")
            }
            session.engine.columnMap[canonical] = column
        }
        let lines = session.engine.prepareCustomerColumns()
        if arguments.isEmpty || !lines.isEmpty {
            let matches = session.engine.canonicalMatches
            var tables: [String] = []
            for match in matches where tables.last != match.table { tables.append(match.table) }
            let listed = tables.map { table in
                "\(table): " + matches.filter { $0.table == table }.map { "\($0.column) → \($0.canonical)" }.joined(separator: ", ")
            }
            session.message(listed.isEmpty ? "no columns are matched to canonical names" : listed.joined(separator: "\n"))
        }
        return .ok
    }

    /// The words `.orders` takes for each role.
    static let orderRoleNames = ["customer_id": "customer_id", "customer": "customer_id", "key": "customer_id",
                                 "order_date": "order_date", "date": "order_date", "amount": "amount"]

    let name: String
    let arguments: [(text: String, column: Int)]
    let line: String
    let origin: String?

    /// Splits a dot-command line into words; "double quotes" keep spaces in a file name.
    static func parse(_ line: String, origin: String?) throws(Diagnostic) -> DotCommand {
        var words: [(text: String, column: Int)] = []
        var current = ""
        var start = 0
        var inQuotes = false
        var quoteColumn = 0
        for (offset, character) in line.enumerated() {
            if character == "\"" {
                if !inQuotes { quoteColumn = offset + 1 }
                if current.isEmpty && !inQuotes { start = offset + 1 }
                inQuotes.toggle()
            } else if (character == " " || character == "\t") && !inQuotes {
                if !current.isEmpty { words.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = offset + 1 }
                current.append(character)
            }
        }
        if inQuotes { throw ShellErrors.unclosedQuote(line: line, column: quoteColumn, origin: origin) }
        if !current.isEmpty { words.append((current, start)) }
        let name = String(words[0].text.dropFirst()).lowercased()
        return DotCommand(name: name, arguments: Array(words.dropFirst()), line: line, origin: origin)
    }

    func run(in session: Session) throws(Diagnostic) -> Session.Outcome {
        switch Self.aliases[name] ?? name {
        case "tables":
            try expectArguments(0...0)
            session.emit(Self.tablesReport(session))
        case "schema":
            try expectArguments(0...1)
            if let dialect = session.sqlDialect {
                // Under --sql: the tables as CREATE TABLE statements, to make them where the SQL runs.
                let names = try arguments.map { (argument) throws(Diagnostic) in try table(argument, in: session).name }
                for statement in session.engine.sqlSchema(dialect, tables: names) { session.emit(statement + ";\n") }
            } else {
                session.emit(try schemaReport(session))
            }
        case "load":
            return try load(in: session)
        case "connect":
            try expectArguments(1...1)
            return session.connect(arguments[0].text) ? .ok : .failed
        case "use":
            try expectArguments(1...1)
            let table = try table(arguments[0], in: session)
            session.engine.defaultTableName = table.name
        case "link":
            try link(in: session)
        case "scoring":
            return try scoring(in: session)
        case "orders":
            return try orders(in: session)
        case "map":
            return try map(in: session)
        case "read":
            try expectArguments(1...1)
            return session.runScript(arguments[0].text)
        case "output", "maxrows", "nullvalue", "timer", "asof", "format":
            try setting(in: session)
        case "headers":
            try expectArguments(0...1)
            session.message("custq always writes column headers (in table, csv, tsv and markdown); .headers has nothing to change")
        case "help":
            try help(in: session)
        case "quit":
            return .quit
        default:
            throw ShellErrors.unknownCommand(self, known: Self.catalogue.map(\.name) + ["exit", "mode", "headers"])
        }
        return .ok
    }

    func expectArguments(_ range: ClosedRange<Int>) throws(Diagnostic) {
        guard range.contains(arguments.count) else {
            throw ShellErrors.usage(of: self, at: arguments.count > range.upperBound ? arguments[range.upperBound].column : nil)
        }
    }

    func table(_ argument: (text: String, column: Int), in session: Session) throws(Diagnostic) -> Table {
        if let table = session.catalog.table(named: argument.text) { return table }
        throw ShellErrors.unknownTable(argument.text, known: session.catalog.tableNames, line: line,
                                       column: argument.column, origin: origin)
    }

    // MARK: Relating tables

    /// `.link COLUMN` (every pair of tables through one key), `.link A.x = B.y` (one pair
    /// through its own columns), or `.link` alone (what relates the tables now).
    private func link(in session: Session) throws(Diagnostic) {
        let joined = arguments.map(\.text).joined()
        if joined.contains("="), joined.contains(".") { return try linkPair(joined, in: session) }
        try expectArguments(0...1)
        if arguments.isEmpty, !session.engine.pairLinks.isEmpty {
            var lines = ["tables are related through \(session.engine.keyColumn)"]
            for link in session.engine.pairLinks {
                lines.append("\(link.tables.0) and \(link.tables.1) through \(link.tables.0).\(link.columns.0) = \(link.tables.1).\(link.columns.1)")
            }
            session.message(lines.joined(separator: "\n"))
            return
        }
        if let argument = arguments.first {
            let columns = session.catalog.tables.flatMap(\.columnNames)
            guard columns.contains(where: { $0.lowercased() == argument.text.lowercased() }) || columns.isEmpty else {
                throw ShellErrors.noSuchKey(argument.text, columns: columns, line: line, column: argument.column)
            }
        }
        session.engine.keyColumn = arguments.first?.text ?? Engine.defaultKeyColumn
        session.message("tables are related through \(session.engine.keyColumn)")
        session.prepareOrders()
    }

    /// `.link orders.order_id = payments.order_id`: one pair of tables through their own
    /// columns, in place of any link the pair had.
    private func linkPair(_ joined: String, in session: Session) throws(Diagnostic) {
        let sides = joined.split(separator: "=", maxSplits: 1).map(String.init)
        let ends = sides.map { $0.split(separator: ".", maxSplits: 1).map(String.init) }
        guard ends.count == 2, ends.allSatisfy({ $0.count == 2 && !$0[0].isEmpty && !$0[1].isEmpty }) else {
            throw Diagnostic.error(".link takes COLUMN, or TABLE.COLUMN = TABLE.COLUMN", help: "e.g. .link orders.order_id = payments.order_id")
        }
        for end in ends {
            guard let table = session.catalog.tables.first(where: { $0.answers(to: end[0]) }) else {
                throw Diagnostic.error("no table named '\(end[0])' is loaded", help: "loaded: " + session.catalog.tableNames.joined(separator: ", "))
            }
            guard table.column(named: end[1]) != nil else {
                throw Diagnostic.error("\(table.name) has no column '\(end[1])'", help: "its columns are: " + table.columnNames.joined(separator: ", "))
            }
        }
        let pair = Set([ends[0][0].lowercased(), ends[1][0].lowercased()])
        session.engine.pairLinks.removeAll { Set([$0.tables.0.lowercased(), $0.tables.1.lowercased()]) == pair }
        session.engine.pairLinks.append(PairLink(ends[0][0], ends[0][1], ends[1][0], ends[1][1]))
        session.message("\(ends[0][0]) and \(ends[1][0]) are related through \(ends[0][0]).\(ends[0][1]) = \(ends[1][0]).\(ends[1][1])")
    }

    // MARK: Loading and tables

    private func load(in session: Session) throws(Diagnostic) -> Session.Outcome {
        try expectArguments(1...3)
        var tableName: String?
        if arguments.count > 1 {
            guard arguments.count == 3, arguments[1].text.lowercased() == "as" else {
                throw ShellErrors.usage(of: self, at: arguments[1].column)
            }
            tableName = arguments[2].text
        }
        let argument = arguments[0].text
        if Session.isDatabaseURL(argument) {
            throw Diagnostic.error("\(argument) is a database, not a file", help: ".connect \(argument) lists its tables")
        }
        // On a connection, a table's name copies its rows in.
        if let remote = session.catalog.table(named: argument), remote.rowsElsewhere != nil {
            return session.copyIn(remote, as: tableName) ? .ok : .failed
        }
        return session.load(path: argument, as: tableName) ? .ok : .failed
    }

    private func scoring(in session: Session) throws(Diagnostic) -> Session.Outcome {
        try expectArguments(0...1)
        if let choice = arguments.first {
            let library: String
            switch choice.text.lowercased() {
            case "ntile": library = Prelude.ntileScores
            case "cutpoints": library = Prelude.cutPointScores
            default: throw ShellErrors.usage(of: self, at: choice.column)
            }
            do {
                try session.engine.loadPrelude(library)
            } catch {
                session.report(error.diagnostic(in: library, file: nil, line: 1))
                return .failed
            }
        }
        switch session.engine.rfmScoring {
        case .cutPoints:
            session.message("RFM scores by value cut points (qcut): equal values share a score")
        case .equalCount(let tieBreak):
            session.message("RFM scores by equal-count groups (ntile, SQL NTILE(5)): ties split by \(tieBreak)")
        case .other:
            session.message("RFM scores as r_score, f_score and m_score are defined (explain r_score shows how)")
        }
        return .ok
    }

    private func orders(in session: Session) throws(Diagnostic) -> Session.Outcome {
        guard let table = arguments.first else {
            session.message(session.ordersDescription)
            return .ok
        }
        // The rest of the line: `role = COLUMN` or `role = EXPRESSION` pairs, then `where CONDITION`.
        // A name in quotes (its column is its first letter's) ends after the closing quote.
        let characters = Array(line)
        let quoted = table.column >= 2 && table.column - 2 < characters.count && characters[table.column - 2] == "\""
        let tableEnd = line.index(line.startIndex, offsetBy: min(line.count, table.column - 1 + table.text.count + (quoted ? 1 : 0)))
        let rest = String(line[tableEnd...])
        let restColumn = table.column + table.text.count
        let (pairs, filter) = try Self.orderRoles(in: rest)
        var roles: [String: String] = [:]
        for pair in pairs {
            if !pair.role.isEmpty, Self.orderRoleNames[pair.role.lowercased()] == nil {
                let roles = ["customer_id", "order_date", "amount"]
                throw Diagnostic.error("'\(pair.role)' is not a role of the orders: they are " + roles.joined(separator: ", "),
                                       help: EditDistance.closest(to: pair.role.lowercased(), in: Array(Self.orderRoleNames.keys))
                                           .map { "did you mean '\(Self.orderRoleNames[$0]!)'?" })
            }
            guard let role = Self.orderRoleNames[pair.role.lowercased()], !pair.value.isEmpty else {
                throw ShellErrors.usage(of: self, at: restColumn + pair.offset)
            }
            roles[role] = pair.value
        }
        if let filter, filter.isEmpty {
            throw Diagnostic.error(".orders \(table.text) where needs a condition", help: "e.g. .orders \(table.text) where order_status != 'canceled'")
        }
        return session.prepareOrders(explicit: OrdersStatement(table: table.text, roles: roles, filter: filter)) ? .ok : .failed
    }

    /// Splits what follows `.orders TABLE` into `role = value` pairs and a `where` condition,
    /// by the query language's tokens: a pair starts at a word followed by `=` outside
    /// parentheses (not after an operator or a dot: `amount = x = 1` compares), and its
    /// value runs to the next pair or `where`, so values may be expressions with spaces.
    /// `offset`: the pair's first character in `text`.
    static func orderRoles(in text: String) throws(Diagnostic) -> (pairs: [(role: String, value: String, offset: Int)], filter: String?) {
        let tokens: [Token]
        do {
            tokens = try Lexer(text).tokens()
        } catch {
            throw error.diagnostic(in: text, file: nil)
        }
        let bytes = Array(text.utf8)
        func slice(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self).trimmingSpaces }
        func characterOffset(_ byte: Int) -> Int { String(decoding: bytes[..<byte], as: UTF8.self).count }
        var starts: [(role: String, valueStart: Int, start: Int)] = []
        var whereAt: Int?
        var depth = 0
        for (index, token) in tokens.enumerated() {
            if token.isSymbol("(") { depth += 1 } else if token.isSymbol(")") { depth = max(0, depth - 1) }
            guard depth == 0, case .word(let word) = token.kind else { continue }
            if word.lowercased() == "where" {
                whereAt = token.range.start
                break
            }
            guard index + 1 < tokens.count, tokens[index + 1].isSymbol("=") else { continue }
            if index > 0, case .symbol(let before) = tokens[index - 1].kind, before != ")" { continue }
            starts.append((word, tokens[index + 1].range.end, token.range.start))
        }
        let valuesEnd = whereAt ?? bytes.count
        var pairs: [(role: String, value: String, offset: Int)] = []
        // Words before the first pair (`.orders t amount`) are no pair: a usage mistake.
        let firstPair = starts.first?.start ?? valuesEnd
        if !slice(0, firstPair).isEmpty {
            pairs.append(("", "", characterOffset(tokens.first?.range.start ?? 0)))
        }
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1].start : valuesEnd
            pairs.append((start.role, slice(min(start.valueStart, end), end), characterOffset(start.start)))
        }
        let filter = whereAt.map { slice($0 + 5, bytes.count) }
        return (pairs, filter)
    }

    static func tablesReport(_ session: Session) -> String {
        guard !session.catalog.tables.isEmpty else { return "no tables loaded: load one with .load FILE\n" }
        let tables = session.catalog.tables
        let report = Table(name: "tables", columns: [
            ReportColumn.text("table", tables.map(\.name)),
            ReportColumn.integers("rows", tables.map { $0.rowsElsewhere == nil ? $0.rowCount : nil }),
            ReportColumn.integers("columns", tables.map(\.columns.count)),
            ReportColumn.text("source", tables.map(\.source)),
        ], rowCount: tables.count)
        guard session.format == .table else { return ResultRenderer.render(report, format: session.format) }
        return ResultRenderer.people(report, rows: 0..<report.rowCount, nullText: session.nullText, width: session.width).text
    }

    /// `.schema [TABLE]`: a table per loaded table for people; one list of every column
    /// (with its table, when all are listed) in the machine formats.
    private func schemaReport(_ session: Session) throws(Diagnostic) -> String {
        let tables = try arguments.first.map { argument throws(Diagnostic) in [try table(argument, in: session)] }
            ?? session.catalog.tables
        guard !tables.isEmpty else { return "no tables loaded: load one with .load FILE\n" }
        guard session.format == .table else {
            var columns = [ReportColumn.text("column", tables.flatMap(\.columnNames)),
                           ReportColumn.text("type", tables.flatMap { $0.columns.map(\.type.displayName) }),
                           ReportColumn.integers("nulls", tables.flatMap { table in
                               table.columns.map { table.rowsElsewhere == nil ? $0.nullCount : nil } }),
                           ReportColumn.text("example", tables.flatMap { table in
                               table.columns.map { table.rowsElsewhere == nil ? SchemaReport.example(of: $0) : "" } }),
                           ReportColumn.text("read as", tables.flatMap { $0.columns.map(SchemaReport.notes) })]
            if arguments.isEmpty {
                columns.insert(ReportColumn.text("table", tables.flatMap { table in table.columns.map { _ in table.name } }), at: 0)
            }
            let rows = tables.reduce(0) { $0 + $1.columns.count }
            return ResultRenderer.render(Table(name: "schema", columns: columns, rowCount: rows), format: session.format)
        }
        return tables.map { SchemaReport.render($0, width: session.width) }.joined(separator: "\n")
    }
}
