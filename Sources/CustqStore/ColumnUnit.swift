/// What a column's values measure, so they are shown the same way wherever they appear.
/// It never changes a value: csv and json stay exact.
public enum ColumnUnit: Sendable, Equatable {
    /// Nothing known: numbers are shown by their values.
    case none
    /// Percentages already on the 0–100 scale (churn_rate, nps points): two decimals.
    case percentPoints
    /// Money: two decimals.
    case currency
    /// Money in one currency, as a file wrote it (`¥1,234.50`, `1,234.50 元`): two
    /// decimals, shown with the symbol before or `after` the number.
    case money(symbol: String, after: Bool)
    /// Fractions a file wrote as percentages (`25%` is 0.25): shown as percentages.
    case percent
    /// Identifiers, codes, phone numbers, postcodes: numbers that are names, shown without
    /// thousands separators (`17850`, `15149775976`).
    case code
    /// A table of summary statistics (describe): each row describes one column, and its
    /// `.statisticType` cell names that column's type. A `.statisticValue` cell is a value in
    /// the column's own terms (min, a quartile, max: text min/max of a numeric column hold its
    /// numbers, written exactly); the cells of one row share their formatting.
    case statisticValue
    /// A mean or a spread of the column a statistics row describes.
    case statisticMoment
    /// The type of the column a statistics row describes (`integer`, `decimal`, `string`, …).
    case statisticType
    /// A fitted model's parameter or standard error: each value to 4 significant digits.
    case estimate
}
