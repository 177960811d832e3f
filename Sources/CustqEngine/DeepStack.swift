#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a thread with a deep stack, and waits for it. Binding and evaluating
/// follow the shape of an expression, so a chain of 10,000 `+` terms or of 10,000
/// definitions goes 10,000 calls deep: more than a thread's usual stack holds. The parser
/// and the binder bound those depths, so no input can reach the end of this one.
package enum DeepStack {
    /// The stack of the thread (reserved address space; pages are used as they are touched).
    static let size = 1 << 30

    /// The work, handed to the thread (one thread touches it at a time).
    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on the deep thread and waits for it to end.
    package static func run(_ body: @escaping () -> Void) {
        let work = Work(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(work).toOpaque()
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        guard started == 0 else {
            // No thread to be had: run here, as deep as this stack allows.
            Unmanaged<Work>.fromOpaque(context).release()
            body()
            return
        }
        pthread_join(thread, nil)
    }
}
