#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard descriptors as custq found them. One that is closed at start is opened on
/// /dev/null, so that no file custq opens later (an `.output` file) takes its number and
/// receives messages meant for the terminal.
enum StandardDescriptors {
    /// Opens /dev/null on each of 0, 1, 2 that is closed; returns the ones that were.
    static func secure() -> Set<Int32> {
        var closed: Set<Int32> = []
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            closed.insert(descriptor)
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
        }
        return closed
    }
}
