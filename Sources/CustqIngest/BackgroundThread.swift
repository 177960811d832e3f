import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a closure on a thread of its own until `join`.
final class BackgroundThread: @unchecked Sendable {
    private var thread: pthread_t?
    private let work: () -> Void

    init(_ work: @escaping () -> Void) {
        self.work = work
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { context in
            let owner = Unmanaged<BackgroundThread>.fromOpaque(context!).takeRetainedValue()
            owner.work()
            return nil
        }, context)
        if started == 0 {
            thread = handle
        } else {
            // No thread to be had: do the work here.
            Unmanaged<BackgroundThread>.fromOpaque(context).release()
            work()
        }
    }

    func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }
}

/// A value handed to another thread that only one thread touches at a time (the caller
/// waits with `join` before reading it again).
final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

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
