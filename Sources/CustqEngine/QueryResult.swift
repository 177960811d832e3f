import CustqStore

/// What a statement produced.
public struct QueryResult: Sendable {
    /// The rows to show; the form of every output format.
    public var table: Table
    /// Rows of the queried table, and how many passed the `where` filter.
    public var rowsScanned: Int
    public var rowsMatched: Int
    /// Facts the user should see under the result (rows left out, as-of dates, …).
    public var notes: [String] = []
    /// For `chart` and `histogram`: bars to draw on a terminal.
    public var chart: BarChart?
    /// Columns of percentages (0–100) to shade on a colour terminal (cohort tables).
    public var shadedColumns: Range<Int>?
    /// What the matched count counts, when it is not the rows a filter kept.
    public var matched: MatchedRows?

    public init(table: Table, rowsScanned: Int, rowsMatched: Int) {
        self.table = table
        self.rowsScanned = rowsScanned
        self.rowsMatched = rowsMatched
    }
}

/// What a segment table's matched count is: customers, not rows of a filter.
public enum MatchedRows: Sendable, Equatable {
    /// `rfm`: customers with an RFM segment (and chosen by `where`, when `filtered`).
    case customersWithSegment(filtered: Bool)
    /// `abc by VALUE`: customers with a value (the value as written).
    case customersWithValue(String, filtered: Bool)
}

/// Horizontal bars: a label and a value per bar (null values have no bar).
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double?
    }

    public var title: String
    public var bars: [Bar]
    /// Whether the values are counts or other whole numbers (shown without decimals).
    public var integral: Bool
    /// For a histogram: each bar's bin, from its lower to its upper edge (the labels are
    /// made from them when the chart is drawn).
    public var bins: [(low: Double, high: Double)]?
    /// Whether the bins' edges are dates (day numbers).
    public var binsAreDates = false

    public init(title: String, bars: [Bar], integral: Bool) {
        self.title = title
        self.bars = bars
        self.integral = integral
    }

    public static func == (a: BarChart, b: BarChart) -> Bool {
        a.title == b.title && a.bars == b.bars && a.integral == b.integral && a.binsAreDates == b.binsAreDates
            && a.bins?.map(\.low) == b.bins?.map(\.low) && a.bins?.map(\.high) == b.bins?.map(\.high)
    }
}

/// What running one statement gave.
public enum StatementOutcome: Sendable {
    case result(QueryResult)
    /// `define`: the name, and whether it is a per-row column or an aggregate measure.
    case defined(name: String, isAggregate: Bool, replaced: Bool)
    /// `undefine`: the name, and whether the built-in definition of that name is back.
    case undefined(name: String, restoredBuiltIn: Bool)
    /// `exit` or `quit`.
    case quit
    /// `help [TOPIC]`.
    case help(topic: String?)
}
