/// Many strings stored back to back in one byte buffer, addressed by index.
/// No per-string objects: a `String` is made only when a value is shown.
public struct StringHeap: Sendable, Equatable {
    public let bytes: ValueBuffer<UInt8>
    /// `offsets[i] ..< offsets[i + 1]` are the bytes of string `i`; `count + 1` entries.
    public let offsets: ValueBuffer<Int>

    public init(bytes: ValueBuffer<UInt8>, offsets: ValueBuffer<Int>) {
        precondition(!offsets.isEmpty && offsets.first == 0 && offsets.last == bytes.count, "offsets must span the bytes")
        self.bytes = bytes
        self.offsets = offsets
    }

    public init(_ strings: [String]) {
        var bytes: [UInt8] = []
        var offsets = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(bytes.count)
        }
        self.init(bytes: ValueBuffer(bytes), offsets: ValueBuffer(offsets))
    }

    public var count: Int { offsets.count - 1 }

    public func string(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    public func byteCount(at index: Int) -> Int {
        offsets[index + 1] - offsets[index]
    }

    /// Calls `body` with the bytes of string `index`, without copying them.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = offsets[index], end = offsets[index + 1]
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }
}
