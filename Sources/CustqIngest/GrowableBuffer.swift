import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A manually managed, growable run of plain values for the loaders' inner loops.
///
/// Measured here, `Array.append` through a class property costs ~47 ns against ~11 ns
/// in place, because of uniqueness checks; the loaders append ~25 million values per
/// 1M-row file, so they write into raw memory. The memory comes from `malloc`, grows with
/// `realloc` (which remaps large blocks instead of copying them), asks the kernel for
/// huge pages when large (a 5M-row load took 113k page faults on 4 KiB pages), and is
/// handed to the finished column as it is (`finish()`), without a copy.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    /// Blocks from this size up get transparent huge pages (2 MiB instead of 4 KiB).
    static var hugePageThreshold: Int { 4 << 20 }

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = Self.allocate(nil, capacity: self.capacity)
    }

    private static func allocate(_ old: UnsafeMutablePointer<Element>?, capacity: Int) -> UnsafeMutablePointer<Element> {
        let byteCount = capacity * MemoryLayout<Element>.stride
        guard let memory = realloc(old, byteCount) else {
            fatalError("out of memory: could not allocate \(byteCount) bytes for a column")
        }
        if byteCount >= hugePageThreshold {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: memory) + page - 1) / page * page
            let end = (Int(bitPattern: memory) + byteCount) / page * page
            if end > start { madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        }
        return memory.bindMemory(to: Element.self, capacity: capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = value
        count += 1
    }

    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        if count + values.count > capacity { grow(to: max(capacity * 2, count + values.count)) }
        if let source = values.baseAddress { (base + count).update(from: source, count: values.count) }
        count += values.count
    }

    /// Appends `n` copies of `value`.
    mutating func append(repeating value: Element, count n: Int) {
        if count + n > capacity { grow(to: max(capacity * 2, count + n)) }
        (base + count).initialize(repeating: value, count: n)
        count += n
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    mutating func removeLast() {
        if count > 0 { count -= 1 }
    }

    mutating func removeAll() {
        count = 0
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    private mutating func grow(to newCapacity: Int) {
        base = Self.allocate(base, capacity: newCapacity)
        capacity = newCapacity
    }

    /// Hands the values over as a column buffer (trimmed to size, not copied); the builder
    /// starts again empty.
    mutating func finish() -> ValueBuffer<Element> {
        let trimmed = count == capacity ? base : Self.allocate(base, capacity: max(1, count))
        let result = ValueBuffer(takingMallocated: trimmed, count: count)
        capacity = 16
        base = Self.allocate(nil, capacity: capacity)
        count = 0
        return result
    }

    /// Frees the memory for good (the owner is going away).
    func deallocate() {
        free(base)
    }

    /// Frees the memory; the buffer is empty afterwards and may be reused.
    mutating func release() {
        free(base)
        capacity = 16
        base = Self.allocate(nil, capacity: capacity)
        count = 0
    }
}
