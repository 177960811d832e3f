import CustqDiagnostics
import CustqLanguage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a script (`-f`, `.read`) or piped input as it arrives and hands over its
/// statements one at a time, so a program that writes a statement and waits gets the answer
/// at once, `yes count | custq` runs in constant memory, and `-f /dev/zero` is an error
/// rather than a 5 GB read.
///
/// A statement ends at a new line unless the next line continues it (`by`, `where`, …, as
/// in laid-out reports), so the last complete statement waits for the next line; from a
/// pipe or a terminal it runs when no more input comes within a moment.
final class ScriptReader {
    /// The longest statement (or line) custq reads.
    static let maxStatementBytes = 1 << 20
    /// How long piped input may pause before a statement waiting for its next line runs.
    static let pauseMilliseconds: Int32 = 50

    let descriptor: Int32
    /// The script's name in messages (`report.cq`, `<stdin>`).
    let name: String
    /// A pipe, terminal, FIFO or device: input that may pause.
    let isStream: Bool
    private var buffer: [UInt8] = []
    private var atEnd = false
    /// The line number of the first byte in `buffer`.
    private var firstLine = 1
    /// The text of that line before the first byte in `buffer` (statements already handed
    /// over, before a `;`).
    private var linePrefix = ""

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        var info = stat()
        isStream = fstat(descriptor, &info) != 0 || info.st_mode & S_IFMT != S_IFREG
    }

    /// The next statements ready to run: their text, the line it starts at, and what comes
    /// before it on that line; nil at the end of the input.
    func next() throws(Diagnostic) -> (text: String, firstLine: Int, linePrefix: String)? {
        while true {
            let complete = buffer.lastIndex(of: 0x0A).map { $0 + 1 } ?? (atEnd ? buffer.count : 0)
            if complete > 0 {
                let text = try decode(complete)
                let (pieces, rest) = StatementSplitter.split(text)
                if atEnd {
                    buffer.removeAll()
                    return (text, firstLine, linePrefix)
                }
                // The last statement may go on in a line not read yet: hold it back, unless it
                // is a dot-command (which ends with its line) or the input has paused.
                var ready = text.utf8.count - rest.utf8.count
                if rest.isEmpty, let last = pieces.last, !last.isDotCommand, !(isStream && !moreInputComes()) {
                    ready = Self.offset(of: last, in: text)
                }
                if ready > 0 {
                    let taken = String(decoding: Array(text.utf8.prefix(ready)), as: UTF8.self)
                    let given = (taken, firstLine, linePrefix)
                    // Where the rest starts: its line, and what came before it on that line.
                    let lines = taken.split(separator: "\n", omittingEmptySubsequences: false)
                    firstLine += lines.count - 1
                    linePrefix = (lines.count == 1 ? linePrefix : "") + (lines.last.map(String.init) ?? "")
                    buffer.removeFirst(ready)
                    return given
                }
            }
            if atEnd { return nil }
            if buffer.count > Self.maxStatementBytes {
                var help = "is this the right file? statements end at a new line or ;"
                if let open = StatementSplitter.unclosed(in: String(decoding: buffer, as: UTF8.self)) {
                    let what = open.symbol == "(" ? "the ( " : "the \(open.symbol == "`" ? "backtick" : "quote") \(open.symbol) "
                    let column = open.column + (open.line == 1 ? linePrefix.count : 0)
                    help = what + "at line \(firstLine + open.line - 1), column \(column) is never closed, so the statement runs on"
                }
                throw Diagnostic.error("a statement of more than \(Self.maxStatementBytes / 1024 / 1024) MiB starts here: "
                                       + "custq stops reading", at: Diagnostic.Location(file: name, line: firstLine),
                                       help: help)
            }
            try readMore()
        }
    }

    /// Whether more input arrives within a moment (nothing comes: run what is waiting).
    private func moreInputComes() -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, Self.pauseMilliseconds) > 0
    }

    private func readMore() throws(Diagnostic) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Diagnostic.error("reading \(name): " + errorText(errno))
            }
            if count == 0 { atEnd = true; return }
            if let nul = chunk.prefix(count).firstIndex(of: 0) {
                let line = firstLine + (buffer + chunk.prefix(nul)).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw Diagnostic.error("a NUL byte: this is not a text script", at: Diagnostic.Location(file: name, line: line),
                                       help: "scripts are UTF-8 text, one statement per line or separated by ;")
            }
            buffer += chunk.prefix(count)
            return
        }
    }

    /// The first `count` bytes of the buffer as text; invalid UTF-8 is an error at its line.
    private func decode(_ count: Int) throws(Diagnostic) -> String {
        let bytes = Array(buffer.prefix(count))
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var line = firstLine, column = 1, index = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                let size = UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
                offset += size
                index += 1
            case .emptyInput:
                return String(decoding: bytes, as: UTF8.self)
            case .error:
                let byte = offset < bytes.count ? bytes[offset] : 0
                throw Diagnostic.error("invalid UTF-8: byte 0x" + String(byte, radix: 16, uppercase: true)
                                       + " does not start or continue a character",
                                       at: Diagnostic.Location(file: name, line: line, column: column),
                                       help: "scripts are UTF-8 text; convert this one, e.g. iconv -f GBK -t UTF-8")
            }
        }
    }

    /// The byte offset in `text` where `piece` starts (its line and character column).
    static func offset(of piece: StatementSplitter.Piece, in text: String) -> Int {
        var line = 1, offset = 0
        let bytes = Array(text.utf8)
        while line < piece.line, offset < bytes.count {
            if bytes[offset] == 0x0A { line += 1 }
            offset += 1
        }
        let rest = String(decoding: bytes[offset...], as: UTF8.self)
        return offset + String(rest.prefix(piece.column - 1)).utf8.count
    }
}
