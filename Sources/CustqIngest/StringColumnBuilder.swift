import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects string values into a `StringColumn`, interning them by their bytes.
///
/// Interning gives dictionary codes for repetitive columns (region, tier, city). When a
/// column turns out to hold mostly distinct values (names, comments) the builder stops
/// hashing and stores rows plain, so unique text costs no hash table.
final class StringColumnBuilder {
    /// Checked every `checkInterval` rows: above this share of distinct values, go plain.
    static let plainThreshold = 0.5
    static let checkInterval = 8192

    private var codes: GrowableBuffer<UInt32>
    private var distinct: ByteHeapBuilder
    private var hashes: GrowableBuffer<UInt64>
    private var slots: GrowableBuffer<Int32>
    private var plain: ByteHeapBuilder?
    /// The code of the last value appended (-1: none yet).
    private var lastCode: Int32 = -1
    private(set) var count = 0

    init(expectedRows: Int) {
        codes = GrowableBuffer(capacity: expectedRows)
        distinct = ByteHeapBuilder(strings: 256, bytes: 4096)
        hashes = GrowableBuffer(capacity: 256)
        slots = GrowableBuffer(capacity: 1024)
        slots.append(repeating: -1, count: 1024)
    }

    deinit {
        codes.deallocate()
        distinct.deallocate()
        hashes.deallocate()
        slots.deallocate()
        plain?.deallocate()
    }

    @inline(__always)
    func appendEmpty() {
        append(UnsafeBufferPointer(start: nil, count: 0))
    }

    @inline(__always)
    func append(_ value: UnsafeBufferPointer<UInt8>) {
        count += 1
        if plain != nil {
            plain!.append(value)
            return
        }
        // Equal values often come in runs (a customer's orders together): the last code is
        // checked before the hash table.
        if lastCode >= 0, Self.equal(distinct.value(at: Int(lastCode)), value) {
            codes.append(UInt32(lastCode))
        } else {
            let code = intern(value)
            lastCode = Int32(code)
            codes.append(code)
        }
        if count & (Self.checkInterval - 1) == 0,
           Double(distinct.count) > Double(count) * Self.plainThreshold {
            switchToPlain()
        }
    }

    /// Appends the rows of another builder (the rest of the same file). Dictionary codes
    /// are translated once per distinct value; plain text is copied row by row.
    func absorb(_ other: StringColumnBuilder) {
        if plain == nil, other.plain == nil {
            let translated = (0..<other.distinct.count).map { intern(other.distinct.value(at: $0)) }
            for row in 0..<other.codes.count { codes.append(translated[Int(other.codes[row])]) }
            let before = count
            count += other.count
            // Check as appending row by row would have, if a check point was passed.
            if before / Self.checkInterval != count / Self.checkInterval,
               Double(distinct.count) > Double(count) * Self.plainThreshold {
                switchToPlain()
            }
            return
        }
        for row in 0..<other.count {
            append(other.plain != nil ? other.plain!.value(at: row) : other.distinct.value(at: Int(other.codes[row])))
        }
    }

    /// Removes the last row (a lenient load dropping a half-read row).
    func removeLast() {
        guard count > 0 else { return }
        count -= 1
        if plain != nil { plain!.removeLast() } else { codes.removeLast() }
    }

    private func intern(_ value: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if hashes[Int(entry)] == hash, Self.equal(distinct.value(at: Int(entry)), value) {
                return UInt32(entry)
            }
            slot = (slot + 1) & mask
        }
        let code = Int32(distinct.count)
        distinct.append(value)
        hashes.append(hash)
        slots[slot] = code
        if distinct.count * 2 > slots.count { growSlots() }
        return UInt32(code)
    }

    private func growSlots() {
        let newCount = slots.count * 2
        slots.deallocate()
        slots = GrowableBuffer(capacity: newCount)
        slots.append(repeating: -1, count: newCount)
        let mask = newCount - 1
        for code in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code)
        }
    }

    private func switchToPlain() {
        var heap = ByteHeapBuilder(strings: codes.capacity, bytes: max(4096, distinct.bytes.count * 2))
        for row in 0..<codes.count { heap.append(distinct.value(at: Int(codes[row]))) }
        plain = heap
        codes.release()
        distinct.release()
        hashes.release()
        slots.release()
    }

    func build() -> StringColumn {
        if plain != nil { return StringColumn(storage: .plain(values: plain!.finish())) }
        return StringColumn(storage: .dictionary(codes: codes.finish(), values: distinct.finish()))
    }

    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }

    /// A fast 64-bit hash over 8-byte words (multiply-xorshift mixing).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }
}
