#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Row-by-row work shared among the cores: the rows are cut into one contiguous range per
/// core and each range is worked on its own thread. For work whose rows do not depend on
/// each other (a closed form per customer), so the result is the same on any number of cores.
enum RowRanges {
    /// Below this many rows a second thread costs more than it saves.
    static let rowsPerThread = 20_000

    /// Calls `body` once per range of `0..<count`, on as many threads as there are cores.
    static func forEach(_ count: Int, _ body: (Range<Int>) -> Void) {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let parts = max(1, min(cores, count / rowsPerThread))
        func part(_ p: Int) { body(count * p / parts..<count * (p + 1) / parts) }
        guard parts > 1 else { return part(0) }
        withoutActuallyEscaping(part) { part in
            let run = SendablePart(part)
            DispatchQueue.concurrentPerform(iterations: parts) { run.part($0) }
        }
    }
}

/// The work of one `RowRanges.forEach`, which ends before its threads do; each thread
/// touches only its own range of rows.
private struct SendablePart: @unchecked Sendable {
    let part: (Int) -> Void
    init(_ part: @escaping (Int) -> Void) { self.part = part }
}
