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
