import CustqDiagnostics
import CustqStore

/// Gathers text into pieces of about 64 KB and hands each on; stops once a piece is refused.
struct ChunkWriter {
    static let size = 64 * 1024
    let write: (String) -> Bool
    private var pending = ""
    private(set) var open = true

    init(write: @escaping (String) -> Bool) {
        self.write = write
    }

    mutating func add(_ text: String) {
        guard open else { return }
        pending += text
        if pending.utf8.count >= Self.size { flush() }
    }

    private mutating func flush() {
        guard open, !pending.isEmpty else { return }
        open = write(pending)
        pending = ""
    }

    /// Hands on what is left; whether every piece was taken.
    mutating func finish() -> Bool {
        flush()
        return open
    }
}
