import CustqDiagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where results go: the console, or a file named with `.output`.
struct OutputFile {
    let path: String
    let descriptor: Int32
}

extension Session {
    /// `.output FILE`: results go to FILE (created or emptied); `.output stdout` (nil): back
    /// to the screen. A file custq read (a loaded table's source, a script being run) is
    /// never written over.
    func redirect(to path: String?, line: String, column: Int) throws(Diagnostic) {
        if let path, let identity = FileIdentity(path: path) {
            if let table = sourceFiles.first(where: { $0.value == identity })?.key {
                throw ShellErrors.wouldOverwrite(path, what: "the file the table \(table) was loaded from",
                                                 line: line, column: column)
            }
            if scriptFiles.contains(identity) {
                throw ShellErrors.wouldOverwrite(path, what: "a script custq is running", line: line, column: column)
            }
        }
        try closeOutput()
        guard let path else { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw ShellErrors.cannotWrite(path, reason: errorText(errno), line: line, column: column)
        }
        outputFile = OutputFile(path: path, descriptor: descriptor)
    }

    /// Ends writing to an `.output` file; a failure to close it (data not written) is an error.
    func closeOutput() throws(Diagnostic) {
        guard let file = outputFile else { return }
        outputFile = nil
        if close(file.descriptor) != 0 { throw ShellErrors.writeFailed(file.path, reason: errorText(errno)) }
    }

    /// Writes result text where results go; a failed write is remembered (`outputFailure`)
    /// and reported by the statement that wrote.
    func writeOut(_ text: String) {
        guard outputFailure == nil else { return }
        if let file = outputFile {
            let code = Console.writeAll(file.descriptor, text)
            if code != 0 { outputFailure = ShellErrors.writeFailed(file.path, reason: errorText(code)) }
        } else {
            let code = console.write(text)
            if code != 0 { outputFailure = ShellErrors.writeFailed("standard output", reason: errorText(code)) }
        }
    }

    /// The error of the first failed write since the last call, if any (then cleared).
    func takeOutputFailure() -> Diagnostic? {
        defer { outputFailure = nil }
        return outputFailure
    }
}
