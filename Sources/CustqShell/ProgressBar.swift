import Synchronization
import CustqText

/// A one-line progress bar on standard error while a file loads, on a terminal only, once
/// the load has taken long enough for a bar to help (a quick load shows none).
final class ProgressBar: Sendable {
    /// Seconds a load runs before the bar appears.
    static let delay = 0.3
    static let width = 30

    let isShown: Bool
    private let label: String
    private let console: Console
    private let lastPercent = Atomic<Int>(-1)
    private let started = Session.now()

    init(label: String, console: Console) {
        self.label = label
        self.console = console
        isShown = console.errorIsTerminal
    }

    func update(_ fraction: Double) {
        guard isShown, Session.now() - started >= Self.delay else { return }
        let percent = max(0, min(100, Int(fraction * 100)))
        guard lastPercent.exchange(percent, ordering: .relaxed) != percent else { return }
        let filled = percent * Self.width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: Self.width - filled)
        console.writeError("\rloading \(DisplayWidth.truncate(label, to: 40)) \(bar) \(percent)% (Ctrl-C stops it)")
    }

    func finish() {
        guard isShown, lastPercent.load(ordering: .relaxed) >= 0 else { return }
        console.writeError("\r\u{1B}[2K")
    }
}
