import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum GeneratorError: Error, Equatable {
    case cannotWrite(String, reason: String)
    case cannotCreateDirectory(String)
    /// Files of that name are there already, and `--force` was not given.
    case wouldOverwrite([String])

    public var message: String {
        switch self {
        case .cannotWrite(let path, let reason): "writing '\(path)': \(reason)"
        case .cannotCreateDirectory(let path): "cannot create directory '\(path)'"
        case .wouldOverwrite(let paths):
            (paths.count == 1 ? "\(paths[0]) exists" : paths.joined(separator: ", ") + " exist")
                + ": custq generate does not write over files (--force replaces them)"
        }
    }
}
