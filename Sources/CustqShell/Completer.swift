import CustqEngine
import CustqLanguage
import CustqRender
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tab completion by context: dot-commands after `.`, file paths after `.load`/`.read`,
/// tables after `from`/`.use`/`.schema`, statement heads at the start, and columns,
/// definitions, functions and keywords inside expressions.
struct Completer {
    let session: Session

    static let expressionKeywords = ["where", "by", "order by", "limit", "show", "and", "or", "not", "in", "between",
                                     "is null", "is not null", "as", "asc", "desc", "bins", "true", "false", "null"]

    /// For the text before the cursor: the word being completed and the words that fit.
    func complete(_ before: String) -> (word: String, candidates: [String]) {
        let trimmed = String(before.drop { $0 == " " })
        if trimmed.hasPrefix("."), !trimmed.contains(" ") {
            let commands = (DotCommand.catalogue.map(\.name) + ["exit"]).map { "." + $0 }
            return (trimmed, commands.filter { $0.hasPrefix(trimmed.lowercased()) })
        }
        if trimmed.hasPrefix(".") {
            let command = trimmed.prefix { $0 != " " }.lowercased()
            let word = String(before.reversed().prefix { $0 != " " }.reversed())
            switch command {
            case ".load", ".read": return (word, Self.paths(matching: word))
            case ".schema", ".use": return (word, matching(word, session.catalog.tableNames))
            case ".format": return (word, matching(word, OutputFormat.allCases.map(\.rawValue)))
            case ".timer": return (word, matching(word, ["on", "off"]))
            case ".help": return (word, matching(word, HelpTopics.names))
            default: return (word, [])
            }
        }
        let word = String(before.reversed().prefix { Lexer.continuesWordCharacter($0) }.reversed())
        let earlier = before.dropLast(word.count).split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ";" })
        let previous = earlier.last.map { $0.lowercased() }
        if previous == "from" { return (word, matching(word, session.catalog.tableNames)) }
        let definitions = session.engine.definitions.values.map(\.name).sorted()
        if earlier.isEmpty {
            // The start of a statement: its first word (rf → rfm, me → metrics); a word that
            // starts none is an aggregate or a metric (avg clv by region, nps by region).
            let statements = matching(word, Grammar.statementWords)
            return (word, statements.isEmpty ? matching(word, FunctionRegistry.aggregateNames + definitions) : statements)
        }
        if previous == "explain" || previous == "undefine", earlier.count == 1 { return (word, matching(word, definitions)) }
        var table = session.engine.defaultTableName.flatMap { session.catalog.table(named: $0) }
            ?? session.catalog.table(named: "customers") ?? session.catalog.tables.first
        if let index = earlier.firstIndex(where: { $0.lowercased() == "from" }), index + 1 < earlier.count,
           let named = session.catalog.table(named: String(earlier[index + 1])) {
            table = named
        }
        let names = (table?.columnNames ?? []) + definitions + FunctionRegistry.functionNames.map { $0 + "(" }
            + FunctionRegistry.aggregateNames + Self.expressionKeywords
        return (word, matching(word, names))
    }

    private func matching(_ word: String, _ names: [String]) -> [String] {
        let lowered = word.lowercased()
        var seen = Set<String>()
        return names.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }
    }

    /// Files and directories (with a trailing /) whose path starts with `word`.
    static func paths(matching word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let directory = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        guard let handle = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(handle) }
        var results: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || (name.hasPrefix(".") && !prefix.hasPrefix(".")) || !name.hasPrefix(prefix) { continue }
            var info = stat()
            let isDirectory = stat(directory + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            results.append(directory + name + (isDirectory ? "/" : ""))
        }
        return results.sorted()
    }

    /// The longest text every candidate starts with.
    static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

extension Lexer {
    /// Characters that continue a name, for completion (letters, digits, _, non-ASCII).
    static func continuesWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { $0.value >= 0x80 || $0 == "_" || ($0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }
}
