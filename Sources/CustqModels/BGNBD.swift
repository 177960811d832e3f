#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005): while alive a customer
/// buys at a Poisson rate drawn from Gamma(r, α); after each purchase they drop out with a
/// probability drawn from Beta(a, b). Formulas and reference values: CLV.md.
public struct BGNBD: Sendable, Equatable, PurchaseModel {
    public var r: Double, alpha: Double, a: Double, b: Double

    public init(r: Double, alpha: Double, a: Double, b: Double) {
        (self.r, self.alpha, self.a, self.b) = (r, alpha, a, b)
    }

    public static let parameterNames = ["r", "alpha", "a", "b"]
    public var parameters: [Double] { [r, alpha, a, b] }

    init(_ values: [Double]) {
        self.init(r: values[0], alpha: values[1], a: values[2], b: values[3])
    }

    // MARK: Likelihood

    /// ln L of one customer (eq. 6), A3 and A4 combined by log-sum-exp.
    public func logLikelihood(x: Double, tx: Double, T: Double) -> Double {
        let a12 = lgamma(r + x) - lgamma(r) + r * log(alpha) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
        return a12 + tail(x: x, tx: tx, T: T)
    }

    /// ln(A3 + δ A4): the part that depends on t_x and T.
    private func tail(x: Double, tx: Double, T: Double) -> Double {
        let a3 = -(r + x) * log(alpha + T)
        guard x > 0 else { return a3 }
        let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + tx)
        let top = max(a3, a4)
        return top + log(exp(a3 - top) + exp(a4 - top))
    }

    /// The weighted sum of ln L over the summary.
    public func logLikelihood(_ summary: PurchaseSummary) -> Double {
        logLikelihoodAndGradient(summary).value
    }

    /// The weighted sum of ln L over the summary and its gradient in (r, α, a, b), in one pass
    /// over the rows. With p₄ the share of A4 in A3 + A4 (the weight of "dropped out after the
    /// last purchase"), the tail's derivatives are ∂/∂r = −[(1−p₄) ln(α+T) + p₄ ln(α+t_x)],
    /// ∂/∂α = −(r+x)[(1−p₄)/(α+T) + p₄/(α+t_x)], ∂/∂a = p₄/a and ∂/∂b = −p₄/(b+x−1); the
    /// terms in x alone differentiate to digammas, once per count.
    public func logLikelihoodAndGradient(_ summary: PurchaseSummary) -> (value: Double, gradient: [Double]) {
        let logAlpha = log(alpha)
        let logTime = summary.times.map { log(alpha + $0) }, inverseTime = summary.times.map { 1 / (alpha + $0) }
        var value = 0.0, dr = 0.0, dAlpha = 0.0, da = 0.0, db = 0.0
        // The terms in x alone: Γ ratios, once per count.
        let base = lgamma(a + b) - lgamma(b) - lgamma(r) + r * logAlpha
        let psiAB = digamma(a + b), psiB = digamma(b), psiR = digamma(r)
        var logDropout = [Double](repeating: 0, count: summary.counts.count)
        for (k, x) in summary.counts.enumerated() {
            let n = summary.customersWithCount[k], psiABX = digamma(a + b + x)
            value += n * (base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x))
            dr += n * (digamma(r + x) - psiR + logAlpha)
            dAlpha += n * r / alpha
            da += n * (psiAB - psiABX)
            db += n * (psiAB - psiB + digamma(b + x) - psiABX)
            logDropout[k] = x > 0 ? log(a) - log(b + x - 1) : 0
        }
        // The tails, row by row on every core; Σ p₄ per count for ∂/∂a and ∂/∂b.
        let counts = summary.counts.count
        let sums = summary.withRowBuffers { rows in
          logTime.withUnsafeBufferPointer { logTime in
          inverseTime.withUnsafeBufferPointer { inverseTime in
          logDropout.withUnsafeBufferPointer { logDropout in
          ChunkedSums.sum(rows: summary.rows, width: 3 + counts) { range, sums in
            var value = 0.0, dr = 0.0, dAlpha = 0.0, product = 1.0, factors = 0
            for row in range {
                let w = rows.weight[row], rx = r + rows.x[row]
                let late = Int(rows.TIndex[row]), k = Int(rows.countIndex[row])
                let a3 = -rx * logTime[late]
                guard rows.x[row] > 0 else {
                    value += w * a3
                    dr -= w * logTime[late]
                    dAlpha -= w * rx * inverseTime[late]
                    continue
                }
                let early = Int(rows.txIndex[row])
                let a4 = logDropout[k] - rx * logTime[early]
                // ln(e^a3 + e^a4) = max + ln(1 + e^−|a4 − a3|), and the shares from the same e^−|a4 − a3|.
                let difference = a4 - a3, e = exp(-abs(difference)), onePlusE = 1 + e, inverse = 1 / onePlusE
                let p4 = difference > 0 ? inverse : e * inverse, p3 = difference > 0 ? e * inverse : inverse
                value += w * max(a3, a4)
                if w == 1 {
                    // The logarithm of a product of 64 factors in [1, 2] rather than 64 logarithms,
                    // which were a third of the fit's time; the product's rounding (64 ε relative)
                    // moves the log-likelihood by less than 10⁻¹⁴ per 64 customers.
                    product *= onePlusE
                    factors += 1
                    if factors == 64 {
                        value += log(product)
                        (product, factors) = (1, 0)
                    }
                } else {
                    value += w * log1p(e)
                }
                dr -= w * (p3 * logTime[late] + p4 * logTime[early])
                dAlpha -= w * rx * (p3 * inverseTime[late] + p4 * inverseTime[early])
                sums[3 + k] += w * p4
            }
            sums[0] = value + log(product)
            sums[1] = dr
            sums[2] = dAlpha
          }
          }
          }
          }
        }
        value += sums[0]
        dr += sums[1]
        dAlpha += sums[2]
        let dropoutShare = sums[3...]
        for (k, x) in summary.counts.enumerated() where x > 0 {
            da += dropoutShare[3 + k] / a
            db -= dropoutShare[3 + k] / (b + x - 1)
        }
        return (value, [dr, dAlpha, da, db])
    }

    // MARK: What the model says of a customer

    /// P(alive | x, t_x, T), as a logistic of the log odds of having dropped out.
    public func probabilityAlive(x: Double, tx: Double, T: Double) -> Double {
        guard x > 0 else { return 1 }
        let logOdds = log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))
        return 1 / (1 + exp(logOdds))
    }

    /// E[Y(t) | alive, x, T]: eq. 10 without its denominator, which is 1 / P(alive).
    public func expectedPurchasesIfAlive(in t: Double, x: Double, T: Double) -> Double? {
        guard t > 0 else { return 0 }
        guard let bracket = dropoutFactor(x: x, z: t / (alpha + T + t)) else { return nil }
        return (a + b + x - 1) * bracket
    }

    /// E[X(t)] (eq. 9): the expected purchases of a new customer in `t` time units.
    public func expectedPurchases(in t: Double) -> Double? {
        guard t > 0 else { return 0 }
        guard let bracket = dropoutFactor(x: 0, z: t / (alpha + t)) else { return nil }
        return (a + b - 1) * bracket
    }

    /// P(X(t) = 0): a new customer makes no purchase in `t` time units.
    public func probabilityOfNoPurchase(in t: Double) -> Double {
        exp(r * (log(alpha) - log(alpha + t)))
    }

    /// [1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z)] / (a − 1), c = a+b+x−1: the Euler-transformed
    /// bracket of eqs. 9 and 10 (CLV.md), with its limit at a = 1 from either side. When a is
    /// large (customers hardly drop out) that series does not settle, and the direct form
    /// (1−z)^(r+x) ₂F₁(r+x, b+x; c; z), whose terms then shrink like z·b/(a+b), is used.
    /// The form whose first term ratio, A·B/C·z, is smaller goes first: its terms peak
    /// lower, so it settles in fewer terms and loses less to cancellation.
    private func dropoutFactor(x: Double, z: Double) -> Double? {
        func factor(_ a: Double) -> Double? {
            let c = a + b + x - 1
            func euler() -> Double? {
                Hypergeometric.f21(a + b - 1 - r, a - 1, c, z).map { (1 - exp((a - 1) * log1p(-z)) * $0) / (a - 1) }
            }
            func direct() -> Double? {
                Hypergeometric.f21(r + x, b + x, c, z).map { (1 - exp((r + x) * log1p(-z)) * $0) / (a - 1) }
            }
            let eulerFirst = abs((a + b - 1 - r) * (a - 1)) <= abs((r + x) * (b + x))
            return eulerFirst ? euler() ?? direct() : direct() ?? euler()
        }
        guard abs(a - 1) < 1e-7 else { return factor(a) }
        guard let below = factor(1 - 1e-5), let above = factor(1 + 1e-5) else { return nil }
        return (below + above) / 2
    }
}
