#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the shell writes: results to one stream, messages to another. Tests capture both.
public struct Console: Sendable {
    /// Writes results; returns 0, or the error number of a write that failed.
    public var write: @Sendable (String) -> Int32
    public var writeError: @Sendable (String) -> Void
    /// Whether messages go to a terminal (progress bars, and later colours, only then).
    public var errorIsTerminal: Bool

    public init(write: @escaping @Sendable (String) -> Int32, writeError: @escaping @Sendable (String) -> Void,
                errorIsTerminal: Bool = false) {
        self.write = write
        self.writeError = writeError
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's standard output and standard error. `outputWasClosed`: standard output
    /// was closed when custq started (it now holds /dev/null, see `StandardDescriptors`), so
    /// results cannot be written and saying so is the honest answer.
    public static func standard(outputWasClosed: Bool = false) -> Console {
        Console(write: { text in
            if outputWasClosed { return EBADF }
            let code = writeAll(1, text)
            if code == EPIPE { endAsAClosedPipeDoes() }
            return code
        }, writeError: { _ = writeAll(2, $0) }, errorIsTerminal: isatty(2) == 1)
    }

    /// The reader of standard output went away (`custq … | head`): end quietly, as `cat`
    /// does, by the signal a closed pipe sends. custq ignores that signal otherwise (so an
    /// `.output` FIFO whose reader quits is a message, not the end of the session), and a
    /// parent may have left it ignored, so it is put back to its default first.
    static func endAsAClosedPipeDoes() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        _exit(128 + SIGPIPE)
    }

    /// Writes straight to a file descriptor (unbuffered, so results and messages interleave
    /// in the order they were made). Returns 0, or the error number of the write that failed.
    @discardableResult
    static func writeAll(_ descriptor: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    // Ctrl-C while a slow terminal holds up a long result: stop writing it.
                    if errno == EINTR && !interruptRequested.load(ordering: .relaxed) { continue }
                    return errno == EINTR ? 0 : errno
                }
                offset += written
            }
            return 0
        }
    }
}
