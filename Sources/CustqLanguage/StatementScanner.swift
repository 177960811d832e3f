/// Splitting one text into statements, byte by byte: the state StatementSplitter's rules
/// need (where the statement started, open quotes and parentheses, the last word or
/// operator) and one method per kind of byte.
struct StatementScanner {
    typealias Piece = StatementSplitter.Piece

    private let bytes: [UInt8]
    private var pieces: [Piece] = []
    /// Offset where the current statement starts, and its line and column.
    private var start = 0
    private var startLine = 1, startColumn = 1
    /// The line being read, and the offset where it starts.
    private var line = 1, lineStart = 0
    private var depth = 0
    private var quote: UInt8?
    /// Unclosed parentheses, then the open quote: (line, offset of its line, offset).
    private var openings: [(line: Int, lineStart: Int, offset: Int)] = []
    /// The last significant word, lowercased, or the last operator: either leaves a
    /// statement open at the end of a line.
    private var lastWord = ""
    private var lastSymbol: UInt8?
    private var sawContent = false
    private var isDot = false
    private var i = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    /// The complete statements, and the statement still open at the end (if any).
    mutating func scan() -> (pieces: [Piece], rest: Piece?) {
        while i < bytes.count {
            if quote != nil {
                insideQuote()
            } else if !sawContent && !startsStatement() {
                continue
            } else if isDot {
                // A dot-command runs to the end of its line.
                skipToEndOfLine()
                finish(at: i, next: i)
            } else {
                step()
            }
        }
        return end()
    }

    private func column(_ offset: Int) -> Int {
        String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
    }

    private var startsComment: Bool {
        bytes[i] == UInt8(ascii: "-") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "-")
    }

    private mutating func skipToEndOfLine() {
        while i < bytes.count, bytes[i] != 0x0A { i += 1 }
    }

    private mutating func newLine() {
        line += 1
        lineStart = i + 1
    }

    private mutating func finish(at end: Int, next: Int) {
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

    /// Inside quotes: a doubled quote stands for one inside the text; the quote ends it.
    private mutating func insideQuote() {
        let byte = bytes[i]
        if byte == quote, i + 1 < bytes.count, bytes[i + 1] == byte {
            i += 2
            return
        }
        if byte == quote {
            quote = nil
            openings.removeLast()
        }
        if byte == 0x0A { newLine() }
        i += 1
    }

    /// Between statements: skips blanks, `;` and comments (false), or starts a statement at
    /// its first character (true).
    private mutating func startsStatement() -> Bool {
        let byte = bytes[i]
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == UInt8(ascii: ";") {
            if byte == 0x0A { newLine() }
            i += 1
            start = i
            return false
        }
        if startsComment {
            skipToEndOfLine()
            start = i
            return false
        }
        sawContent = true
        startLine = line
        startColumn = column(i)
        isDot = byte == UInt8(ascii: ".")
        return true
    }

    /// One byte (or word) of a statement.
    private mutating func step() {
        let byte = bytes[i]
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
        case UInt8(ascii: "-") where startsComment:
            skipToEndOfLine()
        case 0x0A:
            let open = depth > 0 || lastSymbol != nil || StatementSplitter.continuingWords.contains(lastWord)
                || StatementSplitter.nextLineContinues(bytes, after: i)
            if !open { finish(at: i, next: i + 1) }
            newLine()
            i += 1
        case 0x20, 0x09, 0x0D:
            i += 1
        default:
            if Lexer.startsWord(byte) || Lexer.isDigit(byte) { word() } else { symbol(byte) }
        }
    }

    /// A word or number (`1.5` is one): the last word.
    private mutating func word() {
        let wordStart = i
        while i < bytes.count,
              Lexer.continuesWord(bytes[i]) || bytes[i] == UInt8(ascii: ".") && i + 1 < bytes.count && Lexer.isDigit(bytes[i + 1]) {
            i += 1
        }
        lastWord = String(decoding: bytes[wordStart..<i], as: UTF8.self).lowercased()
        lastSymbol = nil
    }

    /// Operators and commas leave the statement open; `%` after a number is a percent.
    /// `show *` and `count(*)` end with a star that is not multiplication.
    private mutating func symbol(_ byte: UInt8) {
        let isStar = byte == UInt8(ascii: "*") && (lastWord == "show" || lastSymbol == UInt8(ascii: "("))
        let isOperator = "+-*/=<>!,".utf8.contains(byte) && !isStar
        lastSymbol = isOperator ? byte : nil
        lastWord = ""
        i += 1
    }

    /// End of text: a statement with nothing open is complete; else it is the rest, with
    /// the quote or parenthesis it leaves open.
    private mutating func end() -> (pieces: [Piece], rest: Piece?) {
        let open = quote != nil || depth > 0 || lastSymbol != nil || StatementSplitter.continuingWords.contains(lastWord)
        if sawContent && !open {
            finish(at: bytes.count, next: bytes.count)
        }
        let rest = start < bytes.count ? String(decoding: bytes[start...], as: UTF8.self) : ""
        guard sawContent, !rest.trimmingWhitespace.isEmpty else { return (pieces, nil) }
        // An open quote swallows everything after it; otherwise the first ( is the one to close.
        let unclosed = (quote != nil ? openings.last : openings.first).map { open in
            StatementSplitter.Opening(symbol: Character(UnicodeScalar(bytes[open.offset])), line: open.line,
                                      column: String(decoding: bytes[open.lineStart..<open.offset], as: UTF8.self).count + 1)
        }
        return (pieces, Piece(text: rest, line: startLine, column: startColumn, isDotCommand: isDot, unclosed: unclosed))
    }
}
