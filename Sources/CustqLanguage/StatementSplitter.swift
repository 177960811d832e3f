/// Finds where statements end in typed or scripted text, so the shell knows when a
/// statement is complete (else it shows the continuation prompt) and scripts can report
/// each statement's line.
///
/// A statement ends at `;`, or at the end of a line when nothing is left open: no
/// unclosed quote, backtick or parenthesis, and the line does not end with something that
/// needs more (an operator, a comma, or a word such as `where`, `by`, `and`). A line that
/// starts with `.` is a dot-command and ends with its line.
public enum StatementSplitter {
    public struct Piece: Sendable, Equatable {
        /// The statement's text (without the `;`).
        public var text: String
        /// Line and column (1-based, in characters) where it starts.
        public var line: Int
        public var column: Int
        public var isDotCommand: Bool
        /// For text still open at its end: the open quote, or else the first parenthesis not
        /// closed yet.
        public var unclosed: Opening? = nil
    }

    /// An opening quote, backtick or parenthesis, and where it is (1-based line and column).
    public struct Opening: Sendable, Equatable {
        public var symbol: Character
        public var line: Int
        public var column: Int
    }

    /// Words after which a statement cannot end.
    static let continuingWords: Set<String> = [
        "where", "by", "and", "or", "not", "in", "between", "is", "order", "limit", "show", "as", "bins",
        "from", "define", "top", "bottom", "histogram", "chart",
    ]

    /// Words that, starting the next line, continue the statement above (clauses written
    /// on lines of their own, SQL-style). `show` is left out: a line starting with it is
    /// far more often a new statement than top's show clause.
    static let clauseStarts: Set<String> = ["by", "where", "order", "limit", "bins", "and", "or", "as", "asc", "desc",
                                            "label", "chinese", "kind", "unit", "about", "note", "levels"]

    /// Whether the first word of the next non-blank, non-comment line is a clause.
    static func nextLineContinues(_ bytes: [UInt8], after newline: Int) -> Bool {
        var i = newline + 1
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                i += 1
            } else if byte == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else {
                break
            }
        }
        let start = i
        while i < bytes.count, Lexer.continuesWord(bytes[i]) { i += 1 }
        guard i > start else { return false }
        return clauseStarts.contains(String(decoding: bytes[start..<i], as: UTF8.self).lowercased())
    }

    /// The complete statements of `text`, and the text after them that is still open.
    public static func split(_ text: String) -> (pieces: [Piece], rest: String) {
        let (pieces, rest) = pieces(of: text)
        return (pieces, rest?.text ?? "")
    }

    /// Every statement of a script, the last one possibly left open (it then fails to parse
    /// with a message saying what was expected).
    public static func statements(of text: String) -> [Piece] {
        let (pieces, rest) = pieces(of: text)
        return pieces + (rest.map { [$0] } ?? [])
    }

    static func pieces(of text: String) -> (pieces: [Piece], rest: Piece?) {
        var scanner = StatementScanner(text)
        return scanner.scan()
    }

    /// The quote or parenthesis left open at the end of `text`, if any.
    public static func unclosed(in text: String) -> Opening? {
        pieces(of: text).rest?.unclosed
    }

    /// Whether typed text holds only complete statements (nothing is left open).
    public static func isComplete(_ text: String) -> Bool {
        split(text).rest.isEmpty
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
