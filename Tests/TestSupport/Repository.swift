#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the tests find the repository and the built binaries, for every test target.
public enum Repository {
    /// The package root: the directory above `Tests/`.
    public static let root: String = {
        let path = String(#filePath)
        return String(path[..<path.firstRange(of: "/Tests/")!.lowerBound])
    }()

    /// A file of the repository, by its path from the root.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// A bundled example file (`examples/customers.csv`).
    public static func example(_ file: String) -> String { path("examples/" + file) }

    /// The directory the running tests were built into: what `swift build --show-bin-path`
    /// prints for this configuration and platform. Read from the test executable itself, as
    /// running `swift build` from inside `swift test` would wait on the build's lock.
    public static let binPath: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return root + "/.build/debug" }
        let executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The test executable sits in the products directory (inside a bundle on some platforms).
        var directory = String(executable[..<(executable.lastIndex(of: "/") ?? executable.endIndex)])
        if let bundle = directory.firstRange(of: ".xctest") {
            directory = String(directory[..<bundle.lowerBound])
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.endIndex)])
        }
        return directory
    }()

    /// The `custq` built with the tests (debug).
    public static var custq: String { binPath + "/custq" }

    /// The release `custq` (`make run` and users run it), built by `make test` before the
    /// tests: the sibling products directory of the same platform.
    public static var releaseCustq: String {
        let parent = String(binPath[..<(binPath.lastIndex(of: "/") ?? binPath.endIndex)])
        return parent + "/release/custq"
    }
}
