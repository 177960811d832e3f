/// Numbers distinct 64-bit values 1, 2, 3, … in order of first appearance: an open-
/// addressing hash table over raw memory, several times faster than `Dictionary` (and
/// than arrays, which check uniqueness on every write) for a million values.
final class BitsNumbering {
    private var keys: UnsafeMutablePointer<UInt64>
    private var codes: UnsafeMutablePointer<Int32>   // 0 = empty slot
    private var capacity: Int
    private(set) var count = 0

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        self.capacity = capacity
        keys = .allocate(capacity: capacity)
        codes = .allocate(capacity: capacity)
        codes.initialize(repeating: 0, count: capacity)
    }

    deinit {
        keys.deallocate()
        codes.deallocate()
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The code of `key`, numbering it if new.
    @inline(__always)
    func code(of key: UInt64) -> Int32 {
        let mask = capacity - 1
        var slot = Self.hash(key) & mask
        while codes[slot] != 0 {
            if keys[slot] == key { return codes[slot] }
            slot = (slot + 1) & mask
        }
        count += 1
        keys[slot] = key
        codes[slot] = Int32(count)
        if count * 2 > capacity { grow() }
        return Int32(count)
    }

    /// The code of `key` if it has one (nothing is added).
    @inline(__always)
    func existingCode(of key: UInt64) -> Int32? {
        let mask = capacity - 1
        var slot = Self.hash(key) & mask
        while codes[slot] != 0 {
            if keys[slot] == key { return codes[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private func grow() {
        let oldKeys = keys, oldCodes = codes, oldCapacity = capacity
        capacity *= 2
        keys = .allocate(capacity: capacity)
        codes = .allocate(capacity: capacity)
        codes.initialize(repeating: 0, count: capacity)
        let mask = capacity - 1
        for i in 0..<oldCapacity where oldCodes[i] != 0 {
            var slot = Self.hash(oldKeys[i]) & mask
            while codes[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            codes[slot] = oldCodes[i]
        }
        oldKeys.deallocate()
        oldCodes.deallocate()
    }
}
