import CustqDiagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Session {
    /// `.output FILE`: results go to FILE (created or emptied); `.output` alone: back to the screen.
    func redirect(to path: String?, line: String, column: Int) throws(Diagnostic) {
        if let outputFile { fclose(outputFile) }
        outputFile = nil
        outputPath = nil
        guard let path else { return }
        guard let file = fopen(path, "w") else {
            throw ShellErrors.cannotWrite(path, reason: String(cString: strerror(errno)), line: line, column: column)
        }
        outputFile = file
        outputPath = path
    }
}
