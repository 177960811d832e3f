import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How two threads reading one file stand: how far the helper has come (so the leader
/// releases only pages both have read) and whether either failed.
final class PassProgress: Sendable {
    private let position = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)
    private let helperFailure = Atomic<Bool>(false)
    private let leaderFailure = Atomic<Bool>(false)

    /// Where the helper is; the whole file once it has finished.
    var helperPosition: Int { finished.load(ordering: .acquiring) ? Int.max : position.load(ordering: .acquiring) }
    var didHelperFail: Bool { helperFailure.load(ordering: .acquiring) }
    var didLeaderFail: Bool { leaderFailure.load(ordering: .acquiring) }

    func helperReached(_ offset: Int) { position.store(offset, ordering: .releasing) }
    func helperFinished() { finished.store(true, ordering: .releasing) }
    func helperFailed() { helperFailure.store(true, ordering: .releasing) }
    func leaderFailed() { leaderFailure.store(true, ordering: .releasing) }
}
