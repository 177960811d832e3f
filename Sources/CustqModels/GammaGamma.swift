#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005; Hardie note 025):
/// a customer's purchase values are Gamma(p, ν) around their own mean, with ν drawn from
/// Gamma(q, v) across customers. It is fitted on repeat customers (x > 0) and their mean
/// repeat-purchase value m, and assumes spend does not depend on frequency.
public struct GammaGamma: Sendable, Equatable {
    public var p: Double, q: Double, v: Double

    public init(p: Double, q: Double, v: Double) {
        (self.p, self.q, self.v) = (p, q, v)
    }

    public static let parameterNames = ["p", "q", "v"]

    init(_ values: [Double]) {
        self.init(p: values[0], q: values[1], v: values[2])
    }

    /// ln L of one repeat customer with `x` repeat purchases of mean value `m`.
    public func logLikelihood(x: Double, m: Double) -> Double {
        let px = p * x
        return lgamma(px + q) - lgamma(px) - lgamma(q) + q * log(v) + (px - 1) * log(m) + px * log(x) - (px + q) * log(x * m + v)
    }

    /// E[M | x, m]: the customer's expected value per purchase, between the population mean
    /// v p / (q − 1) and their own mean; nil when q ≤ 1 (the population mean is infinite).
    public func expectedSpend(x: Double, m: Double) -> Double? {
        guard q > 1 else { return nil }
        let population = v * p / (q - 1)
        guard x > 0 else { return population }
        let w = p * x / (p * x + q - 1)
        return (1 - w) * population + w * m
    }

    /// The maximum-likelihood Gamma-Gamma on the repeat customers among `customers`.
    public static func fit(_ customers: [(x: Double, m: Double)]) -> ModelFit<GammaGamma> {
        let repeats = customers.filter { $0.x > 0 && $0.m > 0 }
        let meanM = repeats.isEmpty ? 1 : repeats.reduce(0) { $0 + $1.m } / Double(repeats.count)
        let starts = [[1, 1, meanM], [5, 3, meanM], [10, 5, 2 * meanM]]
        return Fitting.fit(names: parameterNames, starts: starts, customers: repeats.count,
                           logLikelihood: { values in
                               let model = GammaGamma(values)
                               return repeats.reduce(0) { $0 + model.logLikelihood(x: $1.x, m: $1.m) }
                           }, model: GammaGamma.init)
    }

    /// The correlation of purchase count and mean value among repeat customers, which the
    /// model assumes is near 0 (CDNOW sample: 0.1139).
    public static func frequencySpendCorrelation(_ customers: [(x: Double, m: Double)]) -> Double? {
        let repeats = customers.filter { $0.x > 0 }
        return Correlation.pearson(repeats.map(\.x), repeats.map(\.m))
    }
}
