import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a thread with a deep stack, and waits for it. Binding and evaluating
/// follow the shape of an expression, so a chain of 10,000 `+` terms or of 10,000
/// definitions goes 10,000 calls deep: more than a thread's usual stack holds. The parser
/// and the binder bound those depths, so no input can reach the end of this one.
///
/// The threads are kept and reused: a script of 40,000 statements starts one thread, not
/// 40,000 (each start maps and unmaps the stack: 0.1 ms of system time a statement).
package enum DeepStack {
    /// The stack of each thread (reserved address space; pages are used as they are touched).
    static let size = 1 << 30

    /// Threads waiting for work; one more is started when all are busy.
    private static let idle = Mutex<[Worker]>([])

    /// Marks the deep threads, so work they start runs where it is.
    private static let onDeepThread: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` on a deep thread and waits for it to end (on this one when it is deep).
    package static func run(_ body: @escaping () -> Void) {
        if pthread_getspecific(onDeepThread) != nil {
            body()
            return
        }
        guard let worker = idle.withLock({ $0.popLast() }) ?? Worker.start() else {
            body()   // no thread to be had: run here, as deep as this stack allows
            return
        }
        worker.perform(body)
        idle.withLock { $0.append(worker) }
    }

    /// One deep thread: it waits for work, runs it, and says it is done.
    private final class Worker: @unchecked Sendable {
        private let ready = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        /// Set by `perform` before `ready` is signalled, read by the thread after (the
        /// semaphores order the two).
        private var work: (() -> Void)?

        static func start() -> Worker? {
            let worker = Worker()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, DeepStack.size)
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            var thread = pthread_t()
            let context = Unmanaged.passRetained(worker).toOpaque()
            let started = pthread_create(&thread, &attributes, { context in
                let worker = Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue()
                pthread_setspecific(DeepStack.onDeepThread, context)
                worker.serve()
                return nil
            }, context)
            guard started == 0 else {
                Unmanaged<Worker>.fromOpaque(context).release()
                return nil
            }
            return worker
        }

        func perform(_ body: @escaping () -> Void) {
            work = body
            ready.signal()
            done.wait()
        }

        private func serve() {
            while true {
                ready.wait()
                work?()
                work = nil
                done.signal()
            }
        }
    }
}
