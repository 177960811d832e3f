/// The values of a string column.
///
/// Repetitive columns (region, tier, city) are dictionary-encoded: each row holds a
/// `UInt32` code into a heap of distinct values, which is what makes grouping and
/// equality fast. Columns whose values hardly repeat (names, comments) are stored
/// plain, one heap entry per row. A null row holds code 0 or an empty entry; the
/// column's validity bitmap says which rows are null.
public struct StringColumn: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        /// Row `i` is `values[codes[i]]`; `values` holds each distinct string once.
        case dictionary(codes: ValueBuffer<UInt32>, values: StringHeap)
        /// Row `i` is `values[i]`.
        case plain(values: StringHeap)
    }

    public var storage: Storage

    public init(storage: Storage) {
        self.storage = storage
    }

    public var count: Int {
        switch storage {
        case .dictionary(let codes, _): codes.count
        case .plain(let values): values.count
        }
    }

    public var isDictionaryEncoded: Bool {
        if case .dictionary = storage { return true }
        return false
    }

    /// Number of distinct values when dictionary-encoded, nil when plain.
    public var dictionarySize: Int? {
        if case .dictionary(_, let values) = storage { return values.count }
        return nil
    }

    /// Calls `body` with the bytes of row `row`, without copying them.
    @inline(__always)
    public func withBytes<R>(at row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .dictionary(let codes, let values): try values.withBytes(at: Int(codes[row]), body)
        case .plain(let values): try values.withBytes(at: row, body)
        }
    }

    public func string(at row: Int) -> String {
        switch storage {
        case .dictionary(let codes, let values): values.string(at: Int(codes[row]))
        case .plain(let values): values.string(at: row)
        }
    }
}
