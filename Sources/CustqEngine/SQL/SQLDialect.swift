import CustqStore

/// The SQL engines custq writes for, and how each spells what custq means. Every entry is
/// a difference measured on DuckDB 2.0, PostgreSQL 15 and Spark 4.0 (../shared/SQL-DIALECTS.md):
/// the writer asks the dialect instead of guessing, so the same plan gives the same answer
/// on each engine.
public enum SQLDialect: String, CaseIterable, Sendable {
    case duckdb
    case postgres
    case spark

    /// The dialect named on the command line or after `.sql` (postgresql and pg too).
    public init?(named name: String) {
        switch name.lowercased() {
        case "duckdb": self = .duckdb
        case "postgres", "postgresql", "pg": self = .postgres
        case "spark", "sparksql", "spark-sql": self = .spark
        default: return nil
        }
    }

    public var displayName: String {
        switch self {
        case .duckdb: "DuckDB"
        case .postgres: "PostgreSQL"
        case .spark: "Spark SQL"
        }
    }

    /// A name as an identifier: double quotes (backticks in Spark), the quote doubled inside.
    public func quote(_ name: String) -> String {
        switch self {
        case .spark: "`" + name.replacing("`", with: "``") + "`"
        default: "\"" + name.replacing("\"", with: "\"\"") + "\""
        }
    }

    /// A text literal. Spark reads backslashes in literals as escapes and joins adjacent
    /// literals, so it escapes both the quote and the backslash; the others double the quote.
    func literal(_ text: String) -> String {
        switch self {
        case .spark:
            "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
        default:
            "'" + text.replacing("'", with: "''") + "'"
        }
    }

    /// The 64-bit floating type (Spark has no DOUBLE PRECISION; PostgreSQL's DOUBLE is not a type).
    var doubleType: String { self == .postgres ? "DOUBLE PRECISION" : "DOUBLE" }

    var textType: String {
        switch self {
        case .duckdb: "VARCHAR"
        case .postgres: "TEXT"
        case .spark: "STRING"
        }
    }

    /// The column type a loaded column has in this dialect.
    func type(of column: ColumnType) -> String {
        switch column {
        case .integer: "BIGINT"
        case .decimal: doubleType
        case .boolean: "BOOLEAN"
        case .date: "DATE"
        case .timestamp: "TIMESTAMP"
        case .string: textType
        }
    }

    /// Whether text is one or more ASCII digits and nothing else.
    func allDigits(_ sql: String) -> String {
        switch self {
        case .duckdb: "regexp_full_match(\(sql), '[0-9]+')"
        case .postgres: "\(sql) ~ '^[0-9]+$'"
        case .spark: "\(sql) RLIKE '^[0-9]+$'"
        }
    }

    /// What follows a text operand of `<`, an ORDER BY key or min/max so it compares by bytes,
    /// as custq does: PostgreSQL otherwise uses the database's collation.
    var byteOrder: String { self == .postgres ? " COLLATE \"C\"" : "" }

    func double(_ sql: String) -> String { "CAST(\(sql) AS \(doubleType))" }

    /// The days from `start` to `end` (Spark's date minus date is an interval).
    func daysBetween(_ start: String, _ end: String) -> String {
        self == .spark ? "datediff(\(end), \(start))" : "CAST((\(end) - \(start)) AS BIGINT)"
    }

    /// A date moved by a whole number of days (DuckDB and PostgreSQL add only a 32-bit integer
    /// to a date; custq's dates end at the year 9999, well inside it).
    func addDays(_ date: String, _ days: String, subtract: Bool) -> String {
        switch self {
        case .duckdb: "CAST((\(date) \(subtract ? "-" : "+") CAST(\(days) AS INTEGER)) AS DATE)"
        case .postgres: "(\(date) \(subtract ? "-" : "+") CAST(\(days) AS INTEGER))"
        case .spark: "\(subtract ? "date_sub" : "date_add")(\(date), CAST(\(days) AS INT))"
        }
    }

    /// The continuous percentile `fraction` of `values` in a group (as custq's p90, median).
    func percentile(_ fraction: Double, of values: String) -> String {
        switch self {
        case .duckdb: "quantile_cont(\(values), \(fraction))"
        case .postgres: "percentile_cont(\(fraction)) WITHIN GROUP (ORDER BY \(values))"
        case .spark: "percentile(\(values), \(fraction))"
        }
    }

    /// One row for each whole number from `low` to `high`, as a value of the select list
    /// (none when `low` is null): a cohort's periods since, a table's periods.
    func series(from low: String, to high: String) -> String {
        switch self {
        case .duckdb: "unnest(range(\(low), \(high) + 1))"
        case .postgres: "generate_series(\(low), \(high))"
        case .spark: "explode(sequence(\(low), \(high)))"
        }
    }

    /// A date written as a literal.
    func date(_ day: Int32) -> String { "DATE '\(CivilDate.isoString(ofDay: Int(day)))'" }
}
