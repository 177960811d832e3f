import CustqDiagnostics
import CustqEngine
import CustqRender
import CustqStore

/// A shell command starting with a dot: `.tables`, `.schema customers`, `.load data.csv as t`.
struct DotCommand {
    /// Every dot-command, with its usage and one line of help (shown by `.help`).
    static let catalogue: [(name: String, usage: String, help: String)] = [
        ("tables", ".tables", "list the loaded tables with their row and column counts"),
        ("schema", ".schema [TABLE]", "show each column's type, null count and an example value"),
        ("load", ".load FILE [as NAME]", "load a CSV, TSV, JSON or NDJSON file as a table"),
        ("use", ".use TABLE", "run queries on TABLE when they do not say from"),
        ("read", ".read SCRIPT", "run the statements in a script file"),
        ("link", ".link [COLUMN]", "relate tables through COLUMN (default customer_id) for orders.amount, customers.region"),
        ("orders", ".orders [TABLE [customer_id=COL] [order_date=COL] [amount=COL]]",
         "read TABLE as the orders, naming the columns that hold the customer, the date and the amount"),
        ("scoring", ".scoring [ntile|cutpoints]",
         "how RFM scores are cut: equal-count groups (ntile, the default) or value cut points (ties share a score)"),
        ("format", ".format FORMAT", "write results as table, csv, tsv, json, ndjson or markdown"),
        ("output", ".output [FILE]", "write results to FILE; without FILE, back to the screen"),
        ("maxrows", ".maxrows N", "show at most N rows of a table (0: all)"),
        ("nullvalue", ".nullvalue TEXT", "show null as TEXT in tables"),
        ("timer", ".timer on|off", "show how long each query took"),
        ("asof", ".asof [DATE]", "the as-of date (YYYY-MM-DD) today() returns; orders after it are left out of customer figures; without DATE, the latest order date loaded, else today"),
        ("help", ".help [TOPIC]", "this list, or more on one command or query form"),
        ("quit", ".quit", "leave custq (also .exit or Ctrl-D)"),
    ]

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
        switch name {
        case "tables":
            try expectArguments(0...0)
            session.emit(Self.tablesReport(session))
        case "schema":
            try expectArguments(0...1)
            if let argument = arguments.first {
                session.emit(SchemaReport.render(try table(argument, in: session)))
            } else if session.catalog.tables.isEmpty {
                session.emit("no tables loaded: load one with .load FILE\n")
            } else {
                session.emit(session.catalog.tables.map(SchemaReport.render).joined(separator: "\n"))
            }
        case "load":
            try expectArguments(1...3)
            var tableName: String?
            if arguments.count > 1 {
                guard arguments.count == 3, arguments[1].text.lowercased() == "as" else {
                    throw ShellErrors.usage(of: self, at: arguments[1].column)
                }
                tableName = arguments[2].text
            }
            return session.load(path: arguments[0].text, as: tableName) ? .ok : .failed
        case "use":
            try expectArguments(1...1)
            let table = try table(arguments[0], in: session)
            session.engine.defaultTableName = table.name
        case "link":
            try expectArguments(0...1)
            session.engine.keyColumn = arguments.first?.text ?? Engine.defaultKeyColumn
            session.console.writeError("tables are related through \(session.engine.keyColumn)\n")
            session.prepareOrders()
        case "scoring":
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
            let cut = session.engine.definitions["r_score"]?.formula.hasPrefix("qcut") == true
            session.console.writeError(cut ? "RFM scores by value cut points (qcut): equal values share a score\n"
                                       : "RFM scores by equal-count groups (ntile, SQL NTILE(5)): ties split by customer_id\n")
        case "orders":
            guard let table = arguments.first else {
                session.console.writeError(session.ordersDescription + "\n")
                return .ok
            }
            var roles: [String: String] = [:]
            for argument in arguments.dropFirst() {
                let parts = argument.text.split(separator: "=", maxSplits: 1).map(String.init)
                let role = parts.first.flatMap { Self.orderRoleNames[$0.lowercased()] }
                guard parts.count == 2, let role, !parts[1].isEmpty else { throw ShellErrors.usage(of: self, at: argument.column) }
                roles[role] = parts[1]
            }
            return session.prepareOrders(explicit: (table.text, roles)) ? .ok : .failed
        case "read":
            try expectArguments(1...1)
            return session.runScript(arguments[0].text)
        case "output":
            try expectArguments(0...1)
            try session.redirect(to: arguments.first?.text, line: line, column: arguments.first?.column ?? 1)
        case "maxrows":
            try expectArguments(1...1)
            guard let n = Int(arguments[0].text), n >= 0 else { throw ShellErrors.usage(of: self, at: arguments[0].column) }
            session.maxRows = n
        case "nullvalue":
            try expectArguments(1...1)
            session.nullText = arguments[0].text
        case "asof":
            try expectArguments(0...1)
            if let argument = arguments.first {
                guard let day = CivilDate.dayNumber(isoText: argument.text) else { throw ShellErrors.notADate(argument.text, line: line, column: argument.column, origin: origin) }
                session.engine.asOf = Int32(day)
            } else {
                session.engine.asOf = nil
            }
            session.console.writeError(session.engine.asOfNote + "\n")
        case "format":
            try expectArguments(1...1)
            guard let format = OutputFormat(rawValue: arguments[0].text.lowercased()) else {
                throw ShellErrors.unknownFormat(arguments[0].text, line: line, column: arguments[0].column, origin: origin)
            }
            session.format = format
        case "timer":
            try expectArguments(1...1)
            switch arguments[0].text.lowercased() {
            case "on": session.timer = true
            case "off": session.timer = false
            default: throw ShellErrors.usage(of: self, at: arguments[0].column)
            }
        case "help":
            try expectArguments(0...1)
            if let topic = arguments.first {
                guard let text = HelpTopics.text(for: topic.text) else {
                    throw ShellErrors.unknownHelpTopic(topic.text, line: line, column: topic.column, origin: origin)
                }
                session.console.write(text)
            } else {
                session.console.write(Self.helpText)
            }
        case "quit", "exit", "q":
            return .quit
        default:
            throw ShellErrors.unknownCommand(self, known: Self.catalogue.map(\.name) + ["exit"])
        }
        return .ok
    }

    private func expectArguments(_ range: ClosedRange<Int>) throws(Diagnostic) {
        guard range.contains(arguments.count) else {
            throw ShellErrors.usage(of: self, at: arguments.count > range.upperBound ? arguments[range.upperBound].column : nil)
        }
    }

    private func table(_ argument: (text: String, column: Int), in session: Session) throws(Diagnostic) -> Table {
        if let table = session.catalog.table(named: argument.text) { return table }
        throw ShellErrors.unknownTable(argument.text, known: session.catalog.tableNames, line: line,
                                       column: argument.column, origin: origin)
    }

    static var helpText: String {
        let width = catalogue.map { $0.usage.count }.max() ?? 0
        var text = "commands:\n"
        for command in catalogue {
            text += "  " + DisplayWidth.pad(command.usage, to: width) + "  " + command.help + "\n"
        }
        return text + """
            queries (.help TOPIC for more: top, show, count, aggregates, describe, histogram, chart,
            define, functions, formats):
              top 10 by clv where tier = A        rows with the largest values
              show name, region where churned     listed rows (order by …, limit N)
              count by region                     rows per group
              avg clv, count by region, tier      aggregates per group
              describe annual_revenue             summary statistics
              histogram nps_score bins 5          distribution
              chart avg annual_revenue by region  bar chart
              define clv = annual_revenue * lifetime_years * margin

            """
    }

    static func tablesReport(_ session: Session) -> String {
        guard !session.catalog.tables.isEmpty else { return "no tables loaded: load one with .load FILE\n" }
        var grid = TextTable(headers: ["table", "rows", "columns", "source"], alignments: [.left, .right, .right, .left])
        for table in session.catalog.tables {
            grid.rows.append([table.name, NumberFormat.grouped(table.rowCount), String(table.columns.count), table.source])
        }
        return grid.render()
    }
}
