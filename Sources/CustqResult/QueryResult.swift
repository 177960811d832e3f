import CustqStore

/// What a query produced, as data: the rows, how many rows it read and kept, what the user
/// should know about them, and how a terminal may draw them. CustqRender formats all of it.
public struct QueryResult: Sendable {
    /// The rows to show; the form of every output format.
    public var table: Table
    /// Rows of the queried table, and how many passed the `where` filter.
    public var rowsScanned: Int
    public var rowsMatched: Int
    /// Facts the user should see under the result (rows left out, the as-of date, …).
    public var notes: [ResultNote] = []
    /// For `chart` and `histogram`: the result drawn as bars on a terminal.
    public var chart: ResultChart?
    /// Columns of percentages (0–100) to shade on a colour terminal (cohort tables).
    public var shadedColumns: Range<Int>?
    /// What the matched count counts, when it is not the rows a filter kept.
    public var matched: MatchedRows?
    /// `describe`: what it found in each column, of which `table` is the written form.
    public var statistics: [ColumnStatistics]?

    public init(table: Table, rowsScanned: Int, rowsMatched: Int) {
        self.table = table
        self.rowsScanned = rowsScanned
        self.rowsMatched = rowsMatched
    }
}
