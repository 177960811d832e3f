import CustqDiagnostics
import CustqLanguage
import CustqStore

/// What stops a statement, as the engine reports it: a mistake in the statement (a name, a
/// type, a clause), a value that does not fit, or the user's Ctrl-C. Each carries the part of
/// the statement it concerns; the shell decides how to show it.
public enum EngineError: Error, Sendable, Equatable {
    /// A mistake in the statement, with the words it concerns.
    case statement(LanguageError)
    /// An integer result does not fit in 64 bits.
    case overflow(SourceRange)
    /// Date arithmetic went past the dates custq holds (the years 1 to 9999).
    case dateOutOfRange(SourceRange)
    /// The query was stopped (Ctrl-C, `Engine.shouldStop`).
    case interrupted
    /// The database holding the rows refused or failed the SQL custq sent it.
    case elsewhere(ElsewhereFailure)

    /// The same problem as a language error (message, range, help), for showing it.
    public var languageError: LanguageError {
        switch self {
        case .statement(let error): error
        case .overflow(let range): EngineErrors.overflow(at: range)
        case .dateOutOfRange(let range): EngineErrors.dateOutOfRange(at: range)
        case .interrupted: LanguageError("interrupted", SourceRange(0, 0))
        case .elsewhere(let failure): LanguageError(failure.headline, SourceRange(0, 0))
        }
    }

    public var message: String { languageError.message }

    /// The diagnostic for this error in `source`, which starts at `line` of `file`.
    public func diagnostic(in source: String, file: String?, line: Int? = nil) -> Diagnostic {
        if case .elsewhere(let failure) = self { return failure.diagnostic }
        return languageError.diagnostic(in: source, file: file, line: line)
    }

    /// An evaluation failure at the words `range` of the statement.
    init(_ failure: EvaluationError, at range: SourceRange) {
        switch failure {
        case .overflow: self = .overflow(range)
        case .dateOutOfRange: self = .dateOutOfRange(range)
        case .interrupted: self = .interrupted
        }
    }
}

/// Binding a statement's words: a mistake in them is the statement's error.
func binding<T>(_ body: () throws(LanguageError) -> T) throws(EngineError) -> T {
    do { return try body() } catch { throw .statement(error) }
}

/// Evaluating what the words at `range` compute: an overflow or a date out of range is
/// reported there.
func evaluating<T>(_ range: SourceRange, _ body: () throws(EvaluationError) -> T) throws(EngineError) -> T {
    do { return try body() } catch { throw EngineError(error, at: range) }
}

/// What the database said of the SQL custq sent, with the statement, to show both.
public struct ElsewhereFailure: Sendable, Equatable {
    public var location: String
    public var error: RowSourceError
    public var sql: String

    var headline: String { "\(location) did not run the query: \(error.message)" }

    /// The database's message, the line of the statement it points at (with a caret), its
    /// detail and hint, and the whole statement.
    var diagnostic: Diagnostic {
        var at: Diagnostic.Location?
        if let position = error.position, position >= 0, position <= sql.utf8.count {
            let before = sql.utf8.prefix(position)
            let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { sql.utf8.index(after: $0) } ?? sql.utf8.startIndex
            let lineNumber = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let lineEnd = sql.utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? sql.utf8.endIndex
            let column = String(decoding: sql.utf8[lineStart..<sql.utf8.index(sql.utf8.startIndex, offsetBy: position)], as: UTF8.self).count + 1
            at = Diagnostic.Location(file: "the SQL sent", line: lineNumber, column: column,
                                     sourceLine: String(decoding: sql.utf8[lineStart..<lineEnd], as: UTF8.self))
        }
        var notes: [String] = []
        if let detail = error.detail { notes.append(detail) }
        // Indented under the note, each line as sent, so it can be copied to run again.
        notes.append("the SQL custq sent:\n" + sql.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n"))
        return .error(headline, at: at, notes: notes, help: error.hint)
    }
}
