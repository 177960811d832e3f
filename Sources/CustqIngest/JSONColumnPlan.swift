import CustqDiagnostics
import CustqStore

/// Which keys of a JSON file with very many become columns.
struct JSONColumnPlan: Sendable {
    let columns: Set<[UInt8]>
    /// The column that holds every other field of a record, as a JSON object.
    let otherColumn: String
}
