import CustqDiagnostics
import CustqText

/// Every message the shell itself reports, in one place.
enum ShellErrors {
    static func location(_ line: String, column: Int?, length: Int = 1, origin: String?) -> Diagnostic.Location {
        Diagnostic.Location(file: origin, line: nil, column: column, sourceLine: line, length: length)
    }

    static func unknownCommand(_ command: DotCommand, known: [String]) -> Diagnostic {
        let suggestion = EditDistance.closest(to: command.name, in: known).map { "did you mean .\($0)? " } ?? ""
        return .error("unknown command '.\(command.name)'",
                      at: location(command.line, column: 1, length: command.name.count + 1, origin: command.origin),
                      help: suggestion + "type .help for the list of commands")
    }

    static func unknownTable(_ name: String, known: [String], line: String, column: Int? = nil, origin: String?) -> Diagnostic {
        var help: String
        if let close = EditDistance.closest(to: name, in: known) {
            help = "did you mean '\(close)'?"
        } else if known.isEmpty {
            help = "no tables are loaded: load one with .load FILE"
        } else {
            help = "loaded tables: " + known.joined(separator: ", ")
        }
        return .error("no table named '\(name)'",
                      at: location(line, column: column, length: name.count, origin: origin), help: help)
    }

    static func usage(of command: DotCommand, at column: Int?) -> Diagnostic {
        let usage = DotCommand.catalogue.first { $0.name == command.name }?.usage ?? "." + command.name
        return .error("wrong arguments for .\(command.name)", at: location(command.line, column: column, origin: command.origin),
                      help: "usage: " + usage)
    }

    static func unclosedQuote(line: String, column: Int, origin: String?) -> Diagnostic {
        .error("this quote is never closed", at: location(line, column: column, origin: origin))
    }

    static func unknownFormat(_ name: String, line: String, column: Int, origin: String?) -> Diagnostic {
        .error("unknown format '\(name)'", at: location(line, column: column, length: name.count, origin: origin),
               help: "formats: table, csv, tsv, json, ndjson, markdown")
    }

    static func notADate(_ text: String, line: String, column: Int, origin: String?) -> Diagnostic {
        .error("'\(text)' is not a date", at: location(line, column: column, length: text.count, origin: origin),
               help: "write dates as YYYY-MM-DD, e.g. .asof 2025-06-30")
    }

    static func unknownHelpTopic(_ topic: String, line: String, column: Int, origin: String?) -> Diagnostic {
        let help = EditDistance.closest(to: topic, in: HelpTopics.names).map { "did you mean \($0)? " } ?? ""
        return .error("no help on '\(topic)'", at: location(line, column: column, length: topic.count, origin: origin),
                      help: help + "topics: " + HelpTopics.names.joined(separator: ", "))
    }

    static func wouldOverwrite(_ path: String, what: String, line: String, column: Int) -> Diagnostic {
        .error("'\(path)' is \(what): custq does not write over it", at: location(line, column: column, length: path.count, origin: nil),
               help: "write the results to another file")
    }

    static func noSuchKey(_ name: String, columns: [String], line: String, column: Int) -> Diagnostic {
        .error("no loaded table has a column '\(name)' to relate tables through",
               at: location(line, column: column, length: name.count, origin: nil),
               help: EditDistance.closest(to: name, in: columns).map { "did you mean \($0)?" } ?? "the key is a column the tables share, e.g. .link customer_id")
    }

    static func writeFailed(_ target: String, reason: String) -> Diagnostic {
        .error("writing \(target): \(reason)")
    }

    static func cannotWrite(_ path: String, reason: String, line: String, column: Int) -> Diagnostic {
        .error("cannot write '\(path)': \(reason)", at: location(line, column: column, length: path.count, origin: nil))
    }
}
