/// A message for the user about their input: what is wrong, where, and how to fix it.
///
/// Every error custq reports (bad data files, bad commands, later bad queries) is a
/// `Diagnostic`, rendered in one place (`DiagnosticRenderer`) so wording and layout stay
/// consistent. Positions are 1-based lines and columns counted in characters.
public struct Diagnostic: Error, Sendable, Equatable {
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    /// Where in a file or a typed statement the problem is.
    public struct Location: Sendable, Equatable {
        /// A file path, `<command>` for `-c` input, or nil for the prompt.
        public var file: String?
        public var line: Int?
        public var column: Int?
        /// The text of the offending line, shown with a caret under `column`.
        public var sourceLine: String?
        /// How many characters the caret underlines (at least 1).
        public var length: Int

        public init(file: String?, line: Int? = nil, column: Int? = nil, sourceLine: String? = nil, length: Int = 1) {
            self.file = file
            self.line = line
            self.column = column
            self.sourceLine = sourceLine
            self.length = length
        }
    }

    public var severity: Severity
    public var message: String
    public var location: Location?
    /// Extra facts, each printed on its own `note:` line.
    public var notes: [String]
    /// What to do about it, printed as `help: …`.
    public var help: String?

    public init(_ severity: Severity = .error, _ message: String, at location: Location? = nil,
                notes: [String] = [], help: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.help = help
    }

    public static func error(_ message: String, at location: Location? = nil,
                             notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes, help: help)
    }

    public static func warning(_ message: String, at location: Location? = nil,
                               notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location, notes: notes, help: help)
    }

    public static func note(_ message: String, help: String? = nil) -> Diagnostic {
        Diagnostic(.note, message, help: help)
    }
}
