/// What a model fit says of itself, for the notes under `clv fit` and `clv`.
public struct ModelFitFacts: Sendable, Equatable {
    /// BG/NBD, Gamma-Gamma.
    public var model: String
    /// Customers it was fitted on.
    public var customers: Int
    public var logLikelihood: Double
    public var aic: Double
    public var iterations: Int
    public var starts: Int
    /// Starts that reached the same maximum as the best.
    public var startsAgreeing: Int
    public var verdict: FitVerdict

    public init(model: String, customers: Int, logLikelihood: Double, aic: Double, iterations: Int, starts: Int,
                startsAgreeing: Int, verdict: FitVerdict) {
        (self.model, self.customers, self.logLikelihood, self.aic) = (model, customers, logLikelihood, aic)
        (self.iterations, self.starts, self.startsAgreeing, self.verdict) = (iterations, starts, startsAgreeing, verdict)
    }
}

/// Whether a fit can be trusted.
public enum FitVerdict: Sendable, Equatable {
    case converged
    /// The search did not move from where it started.
    case stuckAtStart
    /// A parameter ran off towards 0 or infinity.
    case boundary(parameter: String)
    /// No standard errors: the likelihood is flat or saddle-shaped at the maximum found.
    case hessianNotPositiveDefinite
    case notConverged
}

/// Something about a fit the user should weigh before using it.
public enum ModelWarning: Sendable, Equatable {
    /// BG/NBD's a is close to 1, where the expected purchases take their limit.
    case dropoutNearOne(a: Double)
    /// BG/NBD's a and b both ran off (over 1,000) at a fixed ratio: every customer drops out
    /// after a purchase with the same probability a/(a+b).
    case commonDropout(a: Double, b: Double)
    /// Gamma-Gamma's q ≤ 1: the mean spend is infinite, so no expected spend is given.
    case infiniteMeanSpend(q: Double)
    /// Spend and frequency correlate among repeat customers (Gamma-Gamma assumes not).
    case spendFollowsFrequency(correlation: Double)
    /// No repeat customer with a positive spend: no spend model.
    case noRepeatSpend
    /// Fewer than 10 customers: the estimates say little.
    case fewCustomers(Int)
}
