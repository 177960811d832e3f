import CustqStore
import CustqText

/// Looks for a text in a string column, for the note under `where region = Nort`: whether
/// any row holds it, and the value it was probably meant to be.
struct ValueSearch {
    let strings: StringColumn
    let validity: ValidityBitmap

    init(_ strings: StringColumn, validity: ValidityBitmap) {
        self.strings = strings
        self.validity = validity
    }

    /// Most distinct values compared for a suggestion (a column of names is not searched).
    static let suggestionLimit = 10_000

    func contains(_ value: String) -> Bool {
        let wanted = Array(value.utf8)
        switch strings.storage {
        case .dictionary(_, let values):
            return (0..<values.count).contains { entry in values.withBytes(at: entry) { $0.elementsEqual(wanted) } }
        case .plain(let values):
            return (0..<values.count).contains { row in
                validity.isValid(row) && values.withBytes(at: row) { $0.elementsEqual(wanted) }
            }
        }
    }

    /// The value differing only in case, else the closest by edit distance (a likely typo),
    /// among the column's distinct values when there are not too many.
    func closest(to value: String) -> String? {
        guard case .dictionary(_, let values) = strings.storage, values.count <= Self.suggestionLimit else { return nil }
        let candidates = (0..<values.count).map { values.string(at: $0) }.filter { !$0.isEmpty }
        let lowered = value.lowercased()
        if let sameLetters = candidates.first(where: { $0.lowercased() == lowered }) { return sameLetters }
        return EditDistance.closest(to: value, in: candidates)
    }
}
