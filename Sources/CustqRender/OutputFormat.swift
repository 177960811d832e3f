/// How results are written.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Boxed, aligned, with thousands separators: for people.
    case table
    /// Exact values for scripts: full precision, ISO dates, null as an empty field.
    case csv, tsv
    /// A JSON array of objects, or one object per line (NDJSON); null is JSON null.
    case json, ndjson
    /// A Markdown table, for reports.
    case markdown
}
