/// Many strings stored back to back in one byte array, addressed by index.
/// No per-string objects: a `String` is made only when a value is shown.
public struct StringHeap: Sendable, Equatable {
    public private(set) var bytes: [UInt8]
    /// `offsets[i] ..< offsets[i + 1]` are the bytes of string `i`.
    public private(set) var offsets: [Int]

    public init() {
        bytes = []
        offsets = [0]
    }

    public init(_ strings: [String]) {
        self.init()
        for string in strings { append(Array(string.utf8)) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func reserveCapacity(strings: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(strings + 1)
        bytes.reserveCapacity(byteCount)
    }

    @inline(__always)
    public mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    public mutating func append(_ value: [UInt8]) {
        value.withUnsafeBufferPointer { append($0) }
    }

    public func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[offsets[index] ..< offsets[index + 1]])
            return String(decoding: slice, as: UTF8.self)
        }
    }

    public func byteCount(at index: Int) -> Int {
        offsets[index + 1] - offsets[index]
    }

    /// Calls `body` with the bytes of string `index`, without copying them.
    @inline(__always)
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[offsets[index] ..< offsets[index + 1]]))
        }
    }
}
