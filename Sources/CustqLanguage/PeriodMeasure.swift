/// What a table by period of the orders shows (`retention by quarter`, `growth by month`).
public enum PeriodMeasure: String, Sendable, Equatable, CaseIterable {
    /// Customers active in each period, new, retained from the previous one, reactivated,
    /// and the retention and churn rates.
    case retention
    /// New customers (first purchase in the period), revenue and its growth over the previous period.
    case growth
}
