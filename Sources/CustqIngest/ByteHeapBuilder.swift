import CustqStore

/// Strings appended back to back into raw memory; becomes a `StringHeap`.
struct ByteHeapBuilder {
    private(set) var bytes: GrowableBuffer<UInt8>
    private(set) var offsets: GrowableBuffer<Int>

    init(strings: Int, bytes byteCount: Int) {
        bytes = GrowableBuffer(capacity: byteCount)
        offsets = GrowableBuffer(capacity: strings + 1)
        offsets.append(0)
    }

    var count: Int { offsets.count - 1 }

    @inline(__always)
    mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    @inline(__always)
    func value(at index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes.base + offsets[index], count: offsets[index + 1] - offsets[index])
    }

    mutating func removeLast() {
        guard count > 0 else { return }
        offsets.removeLast()
        while bytes.count > offsets[count] { bytes.removeLast() }
    }

    mutating func finish() -> StringHeap {
        StringHeap(bytes: bytes.finish(), offsets: offsets.finish())
    }

    func deallocate() {
        bytes.deallocate()
        offsets.deallocate()
    }

    mutating func release() {
        bytes.release()
        offsets.release()
    }
}
