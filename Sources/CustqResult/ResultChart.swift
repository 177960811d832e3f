/// How a terminal draws a result as horizontal bars (machine formats write the rows).
public enum ResultChart: Sendable, Equatable {
    /// `chart`: a bar per row, labelled by the row's other columns, as long as its last.
    case bars(title: String)
    /// `histogram`: a bar per bin, from the result's `from`, `to` and `count` columns.
    case histogram(title: String)
    /// `clv track`: a row per period from the last columns, actual (a bar) and expected
    /// (a marker), as `label …, actual, expected`.
    case tracking(title: String)
}
