import CustqDiagnostics
import CustqEngine
import CustqRender
import CustqStore
import CustqText

extension DotCommand {
    /// The other shells' output modes (sqlite3's and DuckDB's `.mode`) in custq's formats.
    static let modes: [String: OutputFormat] = [
        "table": .table, "box": .table, "column": .table, "duckbox": .table,
        "csv": .csv, "tsv": .tsv, "tabs": .tsv, "json": .json, "ndjson": .ndjson, "jsonlines": .ndjson,
        "markdown": .markdown,
    ]

    /// `.format`, `.output`, `.maxrows`, `.nullvalue`, `.timer`, `.asof`: with an argument,
    /// change the setting; alone, say what it is.
    func setting(in session: Session) throws(Diagnostic) {
        try expectArguments(0...1)
        let canonical = Self.aliases[name] ?? name
        guard let argument = arguments.first else {
            session.message(Self.describe(canonical, in: session))
            return
        }
        switch canonical {
        case "format":
            guard let format = OutputFormat(rawValue: argument.text.lowercased()) ?? Self.modes[argument.text.lowercased()] else {
                throw ShellErrors.unknownFormat(argument.text, line: line, column: argument.column, origin: origin)
            }
            session.format = format
        case "output":
            let path = ["stdout", "-"].contains(argument.text) ? nil : argument.text
            try session.redirect(to: path, line: line, column: argument.column)
        case "maxrows":
            guard let n = Int(argument.text), n >= 0 else { throw ShellErrors.usage(of: self, at: argument.column) }
            session.maxRows = n
        case "nullvalue":
            session.nullText = argument.text
        case "timer":
            switch argument.text.lowercased() {
            case "on": session.timer = true
            case "off": session.timer = false
            default: throw ShellErrors.usage(of: self, at: argument.column)
            }
        default:  // asof
            if ["default", "latest"].contains(argument.text.lowercased()) {
                session.engine.asOf = nil
            } else {
                guard let day = CivilDate.dayNumber(isoText: argument.text) else {
                    throw ShellErrors.notADate(argument.text, line: line, column: argument.column, origin: origin)
                }
                session.engine.asOf = Int32(day)
            }
            session.message(ResultText.note(session.engine.asOfNote))
        }
    }

    /// What a setting is now, in words.
    static func describe(_ setting: String, in session: Session) -> String {
        switch setting {
        case "format":
            return "results are written as \(session.format.rawValue) (.format table|csv|tsv|json|ndjson|markdown changes it)"
        case "output":
            return session.outputPath.map { "results go to \($0) (.output stdout brings them back to the screen)" }
                ?? "results go to the screen (.output FILE sends them to a file)"
        case "maxrows":
            return session.maxRows == 0 ? "tables show every row (.maxrows N shows at most N)"
                : "tables show at most \(Plural.count(session.maxRows, "row")) (.maxrows 0 shows all)"
        case "nullvalue":
            return "null is shown as \(session.nullText) in tables"
        case "timer":
            return "the timer is \(session.timer ? "on" : "off")"
        default:
            return ResultText.note(session.engine.asOfNote)
                + (session.engine.asOf != nil ? " (.asof default goes back to the latest order date)" : "")
        }
    }
}
