import CustqDiagnostics
import Synchronization

/// A one-line progress bar on standard error while a large file loads, on a terminal only.
final class ProgressBar: Sendable {
    /// Files smaller than this load too fast for a bar to help.
    static let minimumSize = 32 << 20
    static let width = 30

    let isShown: Bool
    private let label: String
    private let console: Console
    private let lastPercent = Atomic<Int>(-1)

    init(label: String, console: Console, fileSize: Int) {
        self.label = label
        self.console = console
        isShown = console.errorIsTerminal && fileSize >= Self.minimumSize
    }

    func update(_ fraction: Double) {
        guard isShown else { return }
        let percent = max(0, min(100, Int(fraction * 100)))
        guard lastPercent.exchange(percent, ordering: .relaxed) != percent else { return }
        let filled = percent * Self.width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: Self.width - filled)
        console.writeError("\rloading \(DisplayWidth.truncate(label, to: 40)) \(bar) \(percent)%")
    }

    func finish() {
        guard isShown, lastPercent.load(ordering: .relaxed) >= 0 else { return }
        console.writeError("\r\u{1B}[2K")
    }
}
