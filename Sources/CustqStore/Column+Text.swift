extension Column {
    /// The value at `row` as exact, machine-readable text (full precision, ISO dates);
    /// nil for null.
    public func exactText(at row: Int) -> String? {
        if isNull(row) { return nil }
        switch values {
        case .integer(let v): return String(v[row])
        case .decimal(let v): return String(v[row])
        case .boolean(let v): return v[row] ? "true" : "false"
        case .date(let v): return CivilDate.isoString(ofDay: Int(v[row]))
        case .timestamp(let v): return CivilDate.isoString(ofTimestamp: v[row], offset: offset(at: row))
        case .string(let v): return v.string(at: row)
        }
    }
}
