import CustqDiagnostics

/// One record: its fields' spans and where it starts.
struct CSVRecord {
    var start: Int
    var line: Int
    /// Number of fields found; only the first `spans` capacity are recorded.
    var fieldCount: Int
    var isBlank: Bool
}
