#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable run of plain values in memory the buffer owns: the storage of a column.
///
/// Loaders write values into raw memory and hand it over here without a copy (copying
/// a 1M-row table's columns at the end of a load cost ~0.1 s of page faults and memcpy).
/// Being immutable and a class, a buffer is shared between tables and queries freely.
public final class ValueBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    public let count: Int
    private let base: UnsafeMutablePointer<Element>?

    /// A copy of `values`.
    public init(_ values: [Element]) {
        count = values.count
        guard !values.isEmpty else {
            base = nil
            return
        }
        let memory = malloc(MemoryLayout<Element>.stride * values.count)!.bindMemory(to: Element.self, capacity: values.count)
        values.withUnsafeBufferPointer { memory.update(from: $0.baseAddress!, count: values.count) }
        base = memory
    }

    /// Takes ownership of `count` initialised values in memory from `malloc`/`realloc`.
    package init(takingMallocated base: UnsafeMutablePointer<Element>?, count: Int) {
        self.base = base
        self.count = count
    }

    deinit {
        free(base)
    }

    @inline(__always)
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}

extension ValueBuffer: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "row out of range")
        return base.unsafelyUnwrapped[position]
    }
}

extension ValueBuffer: Equatable where Element: Equatable {
    public static func == (lhs: ValueBuffer, rhs: ValueBuffer) -> Bool {
        lhs === rhs || lhs.elementsEqual(rhs)
    }
}

extension ValueBuffer: ExpressibleByArrayLiteral {
    public convenience init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}
