import Dispatch

/// Sums over many rows on every core, with the same result on any number of threads: the
/// rows are cut into chunks of a fixed size, each chunk adds its rows into its own partial
/// sums, and the partial sums are added together in chunk order. A likelihood evaluated
/// this way is the same bit for bit on one core or two, so a fit does not depend on the machine.
enum ChunkedSums {
    /// Rows per chunk: large enough that a chunk's start-up cost is lost in its work, small
    /// enough that a million rows make dozens of chunks to share among the cores.
    static let rowsPerChunk = 16_384

    /// `width` sums over `rows` rows: `add(range, sums)` adds the rows in `range` into
    /// `sums`, which starts at zero for each chunk.
    static func sum(rows: Int, width: Int,
                    _ add: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
        var partial = [Double](repeating: 0, count: chunks * width)
        partial.withUnsafeMutableBufferPointer { partial in
            let base = partial.baseAddress
            func chunk(_ c: Int) {
                let range = c * rowsPerChunk..<min(rows, (c + 1) * rowsPerChunk)
                add(range, UnsafeMutableBufferPointer(start: base.map { $0 + c * width }, count: width))
            }
            if chunks > 1 {
                withoutActuallyEscaping(chunk) { chunk in
                    let run = UnsafeSendable(chunk)
                    DispatchQueue.concurrentPerform(iterations: chunks) { run.value($0) }
                }
            } else if chunks == 1 {
                chunk(0)
            }
        }
        var total = [Double](repeating: 0, count: width)
        for c in 0..<chunks {
            for i in 0..<width { total[i] += partial[c * width + i] }
        }
        return total
    }
}

/// A value handed to the threads of one `concurrentPerform`, which ends before the value does;
/// each thread writes only its own chunk's sums.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
