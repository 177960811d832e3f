import Synchronization

/// At the prompt, a line on standard error once a statement has run for a second
/// (`running 3 s… Ctrl-C stops it`), cleared before anything else is written, so a person
/// knows custq is working and how to stop it.
///
/// It is drawn by the statement's own thread when the engine asks whether to stop (between
/// steps of a query, every megabyte of a load), so it never races the statement's output.
final class RunningIndicator: Sendable {
    /// Seconds a statement runs before the line appears.
    static let delay = 1.0

    private struct State {
        var startedAt: Double?
        var shownSeconds: Int?
    }

    private let state = Mutex(State())
    private let writeError: @Sendable (String) -> Void

    init(writeError: @escaping @Sendable (String) -> Void) {
        self.writeError = writeError
    }

    /// A statement starts running.
    func start() {
        state.withLock { $0 = State(startedAt: Session.now()) }
    }

    /// The statement is still running: show (or update) the line once it has run long enough.
    func tick() {
        state.withLock { state in
            guard let startedAt = state.startedAt else { return }
            let seconds = Int(Session.now() - startedAt)
            guard Double(seconds) >= Self.delay, state.shownSeconds != seconds else { return }
            writeError("\r\u{1B}[2Krunning \(seconds) s… Ctrl-C stops it")
            state.shownSeconds = seconds
        }
    }

    /// The statement writes something or ends: the line goes, and does not come back for it.
    func clear() {
        state.withLock { state in
            if state.shownSeconds != nil { writeError("\r\u{1B}[2K") }
            state = State()
        }
    }
}
