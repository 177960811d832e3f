/// Asks now and then, inside a long loop, whether to stop (Ctrl-C).
struct StopCheck {
    let shouldStop: (@Sendable () -> Bool)?

    init(_ shouldStop: (@Sendable () -> Bool)?) {
        self.shouldStop = shouldStop
    }

    /// Every 65,536th step: throws `.interrupted` when asked to stop.
    @inline(__always)
    func check(_ step: Int) throws(EvaluationError) {
        if asked(step) { throw .interrupted }
    }

    /// Every 65,536th step: whether asked to stop (for loops inside closures, which break
    /// and leave the throwing to their caller).
    @inline(__always)
    func asked(_ step: Int) -> Bool {
        step & 0xFFFF == 0 && shouldStop?() == true
    }

    /// Never asks (work done while loading, which Ctrl-C stops between steps).
    static let never = StopCheck(nil)
}
