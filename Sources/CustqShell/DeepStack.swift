#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a statement on a thread with a deep stack, and waits for it. Binding and
/// evaluating follow the shape of an expression, so a chain of 10,000 `+` terms or of
/// 10,000 definitions goes 10,000 calls deep: more than the 8 MB of the main thread holds.
/// The parser and the binder bound those depths, so no input can reach the end of this one.
enum DeepStack {
    /// The stack of the statement's thread (reserved address space; pages are used as touched).
    static let size = 1 << 30

    /// The work, handed to the thread and back (one thread touches it at a time).
    private final class Work: @unchecked Sendable {
        let body: () -> Session.Outcome
        var outcome: Session.Outcome = .failed
        init(_ body: @escaping () -> Session.Outcome) { self.body = body }
    }

    static func run(_ body: @escaping () -> Session.Outcome) -> Session.Outcome {
        let work = Work(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(work).toOpaque()
        let started = pthread_create(&thread, &attributes, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            work.outcome = work.body()
            return nil
        }, context)
        guard started == 0 else {
            // No thread to be had: run here, as deep as the main stack allows.
            Unmanaged<Work>.fromOpaque(context).release()
            return body()
        }
        pthread_join(thread, nil)
        return work.outcome
    }
}
