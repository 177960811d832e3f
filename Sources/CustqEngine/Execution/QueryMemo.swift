import CustqResult
import CustqStore
import CustqLanguage

/// Whole-table results computed once per query (a definition such as rfm_segment may use
/// the same ntile or roll-up many times).
final class QueryMemo: @unchecked Sendable {
    private var vectors: [String: Vector] = [:]

    func value(_ key: String, _ compute: () throws(EvaluationError) -> Vector) throws(EvaluationError) -> Vector {
        if let known = vectors[key] { return known }
        let vector = try compute()
        vectors[key] = vector
        return vector
    }
}
