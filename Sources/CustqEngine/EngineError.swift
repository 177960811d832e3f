import CustqDiagnostics
import CustqLanguage

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

    /// The same problem as a language error (message, range, help), for showing it.
    public var languageError: LanguageError {
        switch self {
        case .statement(let error): error
        case .overflow(let range): EngineErrors.overflow(at: range)
        case .dateOutOfRange(let range): EngineErrors.dateOutOfRange(at: range)
        case .interrupted: LanguageError("interrupted", SourceRange(0, 0))
        }
    }

    public var message: String { languageError.message }

    /// The diagnostic for this error in `source`, which starts at `line` of `file`.
    public func diagnostic(in source: String, file: String?, line: Int? = nil) -> Diagnostic {
        languageError.diagnostic(in: source, file: file, line: line)
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
