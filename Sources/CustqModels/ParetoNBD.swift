#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while alive a customer buys
/// at a Poisson rate drawn from Gamma(r, α) and has an exponential lifetime whose rate is
/// drawn from Gamma(s, β). The likelihood is Hardie's note 009 (eqs. 18–20) in the
/// max(α, β) form, so the hypergeometric argument stays in [0, 1); formulas: CLV.md.
public struct ParetoNBD: Sendable, Equatable, PurchaseModel {
    public var r: Double, alpha: Double, s: Double, beta: Double

    public init(r: Double, alpha: Double, s: Double, beta: Double) {
        (self.r, self.alpha, self.s, self.beta) = (r, alpha, s, beta)
    }

    public static let parameterNames = ["r", "alpha", "s", "beta"]
    public var parameters: [Double] { [r, alpha, s, beta] }

    init(_ values: [Double]) {
        self.init(r: values[0], alpha: values[1], s: values[2], beta: values[3])
    }

    /// ln of the two terms of the likelihood's bracket: the customer alive at T, and the
    /// customer gone between t_x and T (nil when its series does not settle).
    private func terms(x: Double, tx: Double, T: Double) -> (alive: Double, gone: Double?) {
        let alive = -(r + x) * log(alpha + T) - s * log(beta + T)
        let a1 = r + s + x
        let larger = max(alpha, beta)
        // ln ₂F₁(a1, b; a1 + 1; z) by Euler's transformation, (1 − z)^(1 − b) ₂F₁(1, a1 + 1 − b; a1 + 1; z),
        // whose terms are all positive and shrink at least as fast as zᵏ: with b = s + 1 (α ≥ β) or
        // b = r + x (α < β), the direct series overflows for large x.
        let b = alpha >= beta ? s + 1 : r + x
        func logF(_ t: Double) -> Double? {
            let z = abs(alpha - beta) / (larger + t)
            guard let f = Hypergeometric.f21(1, a1 + 1 - b, a1 + 1, z), f > 0 else { return nil }
            return (1 - b) * log1p(-z) + log(f)
        }
        guard let early = logF(tx), let late = logF(T) else { return (alive, nil) }
        let first = early - a1 * log(larger + tx), second = late - a1 * log(larger + T)
        // A0 = e^first − e^second, both positive and first ≥ second.
        guard first > second else { return (alive, -.infinity) }
        let a0 = first + log1p(-exp(second - first))
        return (alive, log(s) - log(a1) + a0)
    }

    /// ln L of one customer.
    public func logLikelihood(x: Double, tx: Double, T: Double) -> Double {
        let head = lgamma(r + x) - lgamma(r) + r * log(alpha) + s * log(beta)
        let (alive, gone) = terms(x: x, tx: tx, T: T)
        guard let gone else { return .nan }
        let top = max(alive, gone)
        return head + top + log(exp(alive - top) + exp(gone - top))
    }

    public func logLikelihood(_ summary: PurchaseSummary) -> Double {
        var total = 0.0
        for row in 0..<summary.rows {
            total += summary.weight[row] * logLikelihood(x: summary.x[row], tx: summary.tx[row], T: summary.T[row])
        }
        return total
    }

    /// P(alive | x, t_x, T): the share of the likelihood from being alive at T.
    public func probabilityAlive(x: Double, tx: Double, T: Double) -> Double {
        let (alive, gone) = terms(x: x, tx: tx, T: T)
        guard let gone else { return .nan }
        return 1 / (1 + exp(gone - alive))
    }

    /// E[Y(t) | alive, x, T] (Fader, Hardie & Lee 2005, JMR, eq. 41, without its P(alive)),
    /// with its limit at s = 1.
    public func expectedPurchasesIfAlive(in t: Double, x: Double, T: Double) -> Double? {
        guard t > 0 else { return 0 }
        return (r + x) / (alpha + T) * (beta + T) * lifetimeFactor(t, base: beta + T)
    }

    /// E[X(t)]: a new customer's expected purchases in `t` time units.
    public func expectedPurchases(in t: Double) -> Double? {
        guard t > 0 else { return 0 }
        return r / alpha * beta * lifetimeFactor(t, base: beta)
    }

    /// [1 − (base / (base + t))^(s−1)] / (s − 1), which is ln((base + t) / base) at s = 1.
    private func lifetimeFactor(_ t: Double, base: Double) -> Double {
        let logRatio = log(base + t) - log(base)
        guard abs(s - 1) > 1e-9 else { return logRatio }
        return -expm1(-(s - 1) * logRatio) / (s - 1)
    }

    /// The maximum-likelihood Pareto/NBD for `summary`, from three starts scaled to its time unit.
    public static func fit(_ summary: PurchaseSummary) -> ModelFit<ParetoNBD> {
        let scale = max(summary.meanT / 40, 1e-3)
        let starts = [[1, scale, 1, scale], [0.5, 10 * scale, 0.5, 10 * scale], [2, 5 * scale, 1.5, 20 * scale]]
        return Fitting.fit(names: parameterNames, starts: starts, customers: summary.customers,
                           likelihood: .numeric { ParetoNBD($0).logLikelihood(summary) }, model: ParetoNBD.init)
    }
}
