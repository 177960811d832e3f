enum Sorting {
    /// `rows` sorted by the keys (stable: ties keep their order). `shouldStop` is asked
    /// every 64K comparisons.
    static func order(_ rows: [Int], by keys: [(Vector, Bool)],
                      shouldStop: (@Sendable () -> Bool)? = nil) throws(EvaluationError) -> [Int] {
        let order = RowOrder(keys: keys)
        guard let shouldStop else { return rows.sorted { order.precedes($0, $1) } }
        var comparisons = 0
        do {
            return try rows.sorted { (a: Int, b: Int) throws -> Bool in
                comparisons += 1
                if comparisons & 0xFFFF == 0, shouldStop() { throw EvaluationError.interrupted }
                return order.precedes(a, b)
            }
        } catch {
            throw .interrupted
        }
    }
}
