/// The values of definitions used more than once, for one evaluator's rows.
final class SharedValues: @unchecked Sendable {
    var values: [Int: Vector] = [:]
}

/// Null mask of a binary operation: null where either side is.
func combinedNulls(_ a: [Bool]?, _ b: [Bool]?) -> [Bool]? {
    guard let a else { return b }
    guard let b else { return a }
    return zip(a, b).map { $0 || $1 }
}
