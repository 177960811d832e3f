#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the shell writes: results to one stream, messages to another. Tests capture both.
public struct Console: Sendable {
    public var write: @Sendable (String) -> Void
    public var writeError: @Sendable (String) -> Void
    /// Whether messages go to a terminal (progress bars, and later colours, only then).
    public var errorIsTerminal: Bool

    public init(write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                errorIsTerminal: Bool = false) {
        self.write = write
        self.writeError = writeError
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's standard output and standard error.
    public static var standard: Console {
        Console(write: { writeAll(1, $0) }, writeError: { writeAll(2, $0) }, errorIsTerminal: isatty(2) == 1)
    }

    /// Writes straight to a file descriptor (unbuffered, so results and messages interleave
    /// in the order they were made).
    static func writeAll(_ descriptor: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    // Ctrl-C while a slow terminal holds up a long result: stop writing it.
                    if errno == EINTR && !interruptRequested.load(ordering: .relaxed) { continue }
                    return
                }
                offset += written
            }
        }
    }
}
