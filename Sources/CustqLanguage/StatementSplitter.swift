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
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var start = 0            // offset where the current statement starts
        var line = 1, lineStart = 0
        var startLine = 1, startColumn = 1
        var depth = 0
        var quote: UInt8? = nil
        // Unclosed parentheses, then the open quote: (line, offset of its line, offset).
        var openings: [(line: Int, lineStart: Int, offset: Int)] = []
        var lastWord = ""        // last significant word, lowercased
        var lastSymbol: UInt8? = nil
        var sawContent = false
        var isDot = false
        var i = 0

        func column(_ offset: Int) -> Int {
            String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        }
        func finish(at end: Int, next: Int) {
            let piece = String(decoding: bytes[start..<end], as: UTF8.self)
            if !piece.trimmingWhitespace.isEmpty {
                pieces.append(Piece(text: piece, line: startLine, column: startColumn, isDotCommand: isDot))
            }
            start = next
            depth = 0
            openings.removeAll()
            lastWord = ""
            lastSymbol = nil
            sawContent = false
            isDot = false
        }

        while i < bytes.count {
            let byte = bytes[i]
            if let open = quote {
                if byte == open, i + 1 < bytes.count, bytes[i + 1] == open {
                    i += 2   // a doubled quote stands for one inside the text
                    continue
                }
                if byte == open {
                    quote = nil
                    openings.removeLast()
                }
                if byte == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
                continue
            }
            if !sawContent {
                if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == UInt8(ascii: ";") {
                    if byte == 0x0A { line += 1; lineStart = i + 1 }
                    i += 1
                    start = i
                    continue
                }
                if byte == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                    while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                    start = i
                    continue
                }
                sawContent = true
                startLine = line
                startColumn = column(i)
                isDot = byte == UInt8(ascii: ".")
            }
            if isDot {
                // A dot-command runs to the end of its line.
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                finish(at: i, next: i)
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                quote = byte
                openings.append((line, lineStart, i))
                lastWord = ""
                lastSymbol = nil
                i += 1
            case UInt8(ascii: "("):
                depth += 1
                openings.append((line, lineStart, i))
                lastSymbol = byte
                lastWord = ""
                i += 1
            case UInt8(ascii: ")"):
                if depth > 0 { openings.removeLast() }
                depth = max(0, depth - 1)
                lastSymbol = nil
                lastWord = ""
                i += 1
            case UInt8(ascii: ";") where depth == 0:
                finish(at: i, next: i + 1)
                i += 1
            case UInt8(ascii: "-") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-"):
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            case 0x0A:
                let open = depth > 0 || lastSymbol != nil || continuingWords.contains(lastWord)
                    || nextLineContinues(bytes, after: i)
                if !open { finish(at: i, next: i + 1) }
                line += 1
                lineStart = i + 1
                i += 1
            case 0x20, 0x09, 0x0D:
                i += 1
            default:
                if Lexer.startsWord(byte) || Lexer.isDigit(byte) {
                    let wordStart = i
                    while i < bytes.count, Lexer.continuesWord(bytes[i]) || bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && Lexer.isDigit(bytes[i + 1]) { i += 1 }
                    lastWord = String(decoding: bytes[wordStart..<i], as: UTF8.self).lowercased()
                    lastSymbol = nil
                } else {
                    // Operators and commas leave the statement open; `%` after a number is a percent.
                    // `show *` and `count(*)` end with a star that is not multiplication.
                    let isStar = byte == UInt8(ascii: "*") && (lastWord == "show" || lastSymbol == UInt8(ascii: "("))
                    let isOperator = "+-*/=<>!,".utf8.contains(byte) && !isStar
                    lastSymbol = isOperator ? byte : nil
                    lastWord = ""
                    i += 1
                }
            }
        }
        // End of text: a statement with nothing open is complete.
        let open = quote != nil || depth > 0 || lastSymbol != nil || continuingWords.contains(lastWord)
        if sawContent && !open {
            finish(at: bytes.count, next: bytes.count)
        }
        let rest = start < bytes.count ? String(decoding: bytes[start...], as: UTF8.self) : ""
        guard sawContent, !rest.trimmingWhitespace.isEmpty else { return (pieces, nil) }
        // An open quote swallows everything after it; otherwise the first ( is the one to close.
        let unclosed = (quote != nil ? openings.last : openings.first).map { open in
            Opening(symbol: Character(UnicodeScalar(bytes[open.offset])), line: open.line,
                    column: String(decoding: bytes[open.lineStart..<open.offset], as: UTF8.self).count + 1)
        }
        return (pieces, Piece(text: rest, line: startLine, column: startColumn, isDotCommand: isDot, unclosed: unclosed))
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
