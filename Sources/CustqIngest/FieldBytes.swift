import CustqStore

/// A field's bytes inside the input: a pointer and a length. Never outlives the input.
struct FieldBytes {
    var base: UnsafePointer<UInt8>
    var count: Int

    @inline(__always) subscript(i: Int) -> UInt8 { base[i] }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
