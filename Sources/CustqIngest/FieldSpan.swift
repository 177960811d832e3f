import CustqDiagnostics

/// Where one field lies in the input.
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    /// The quoted field contains doubled quotes that must be collapsed.
    var escaped: Bool
}
