import CustqResult
import CustqStore
import CustqLanguage

/// Values a conversion could not read (`date('soon')` is null), kept for the result's
/// notes: how many, and the first few with their rows. Rows are counted once however often
/// the expression is evaluated.
final class ConversionLog: @unchecked Sendable {
    private var failures: [String: (rows: Set<Int>, examples: [(text: String, row: Int)])] = [:]
    private var order: [String] = []
    private var notes: [ResultNote] = []

    func record(_ function: String, failed: [(text: Scalar, row: Int)], note: ResultNote?) {
        if let note, !notes.contains(note) { notes.append(note) }
        guard !failed.isEmpty else { return }
        if failures[function] == nil {
            failures[function] = ([], [])
            order.append(function)
        }
        for (value, row) in failed where failures[function]!.rows.insert(row).inserted {
            if failures[function]!.examples.count < 3, case .string(let text) = value {
                failures[function]!.examples.append((text, row))
            }
        }
    }

    /// What the result should say: the conversions' remarks, then one note per function
    /// (`date: 2 values did not convert and are null: 'soon' (row 4), 'N/A' (row 9)`).
    var resultNotes: [ResultNote] {
        notes + order.map { function in
            let (rows, examples) = failures[function]!
            return .notConverted(function: function, rows: rows.count,
                                 examples: examples.map { UnreadValue(text: $0.text, row: $0.row) })
        }
    }
}
