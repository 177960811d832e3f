/// Where the as-of date comes from.
public enum AsOfSource: Sendable, Equatable {
    case setWithAsOf, latestOrderDate, today
}
