#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the prompt keeps its history, and why it keeps none: `$CUSTQ_HISTORY`, else
/// `~/.custq_history`. Only a regular file that is empty or already a history file
/// (libedit's `_HiStOrY_V2_` header) is used, so a typo in the variable never overwrites a
/// file of the user's, and a directory, a FIFO or /dev/zero cannot hang the start.
enum HistoryFile {
    static let header = "_HiStOrY_V2_"

    /// The file to use, or nil and a message saying why there is none.
    static func choose(environment: [String: String]) -> (path: String?, warning: String?) {
        let path: String
        if let chosen = environment["CUSTQ_HISTORY"] {
            guard !chosen.isEmpty else { return (nil, "history is not kept: CUSTQ_HISTORY is empty") }
            path = chosen
        } else {
            guard let home = environment["HOME"], !home.isEmpty else {
                return (nil, "history is not kept: HOME is empty (CUSTQ_HISTORY=FILE keeps it in FILE)")
            }
            path = (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.custq_history"
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return errno == ENOENT ? (path, nil) : (nil, "history is not kept: \(path): " + errorText(errno))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            return (nil, "history is not kept: \(path) is a directory, not a file")
        case S_IFLNK:
            return (nil, "history is not kept: \(path) is a symbolic link; name the file itself")
        default:
            return (nil, "history is not kept: \(path) is not a regular file (a FIFO, a device or a socket)")
        }
        guard info.st_size > 0 else { return (path, nil) }
        guard startsWithHeader(path) else {
            return (nil, "history is not kept: \(path) is not a custq history file (it does not start with "
                    + "\(header)), so it is left as it is")
        }
        return (path, nil)
    }

    private static func startsWithHeader(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: header.utf8.count)
        let count = read(descriptor, &bytes, bytes.count)
        return count == bytes.count && bytes.elementsEqual(header.utf8)
    }
}
