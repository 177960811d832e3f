/// `clv …`: the predictive customer models (DESIGN.md §8).
public enum ModelStatement: Sendable, Equatable {
    /// `clv`: the models fitted in this session.
    case show
    /// `clv fit [bgnbd|pnbd] [by day|week|month]`: fit the purchase and spend models on the orders.
    case fit(model: PurchaseModelKind?, unit: ModelTimeUnit?)
    /// `clv check`: the model against the holdout period, by calibration purchases.
    case check
    /// `clv track`: cumulative repeat purchases week by week, actual and expected.
    case track

}

/// The purchase models `clv fit` can fit, as written.
public enum PurchaseModelKind: String, Sendable, Equatable, CaseIterable {
    /// BG/NBD (Fader, Hardie & Lee 2005), the default.
    case bgnbd
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    case pnbd
}

/// The time unit of a model's t_x, T and forecast horizons.
public enum ModelTimeUnit: String, Sendable, Equatable, CaseIterable {
    case day, week, month

    /// Days in one unit: a month is 30.4375 days (365.25 / 12), not lifetimes' 30.
    public var days: Double {
        switch self {
        case .day: 1
        case .week: 7
        case .month: 30.4375
        }
    }
}
