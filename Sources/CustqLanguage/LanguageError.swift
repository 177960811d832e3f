import CustqDiagnostics

/// A problem in a statement, with the span it concerns. The shell turns it into a
/// `Diagnostic` with the statement's line, column and a caret (`SourceLocator`).
public struct LanguageError: Error, Sendable, Equatable {
    public var message: String
    public var range: SourceRange
    public var help: String?
    public var notes: [String]

    public init(_ message: String, _ range: SourceRange, help: String? = nil, notes: [String] = []) {
        self.message = message
        self.range = range
        self.help = help
        self.notes = notes
    }

    /// The diagnostic for this error in `source` (a statement that may span lines), which
    /// starts at `line` of `file`.
    public func diagnostic(in source: String, file: String?, line: Int? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: SourceLocator.location(of: range.start, length: range.length, in: source,
                                                               file: file, firstLine: line),
                   notes: notes, help: help)
    }
}
