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

    /// The summed ln L of repeat customers grouped by purchase count, and its gradient in
    /// (p, q, v). Per count x with n customers, S = Σ ln m and L = Σ ln(x m + v):
    /// ln L = n[ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x] + (px − 1) S − (px + q) L,
    /// so each customer costs a multiplication and a division per evaluation.
    func logLikelihoodAndGradient(_ spend: SpendSummary) -> (value: Double, gradient: [Double]) {
        // Σ ln(x m + v) and Σ 1/(x m + v) per count, over the customers on every core.
        let groups = spend.groups.count
        let sums = spend.totals.withUnsafeBufferPointer { totals in
          spend.groupOfTotal.withUnsafeBufferPointer { groupOfTotal in
          ChunkedSums.sum(rows: totals.count, width: 2 * groups) { range, sums in
            // Σ ln(x m + v) as the logarithm of products of up to 32 factors, flushed before
            // they could overflow or underflow (a factor beyond 10^±100 is taken alone): one
            // logarithm per 32 customers rather than one each, each product rounded by at most
            // 32 ε relative (10⁻¹⁴ in its logarithm).
            var group = Int(groupOfTotal[range.lowerBound]), sumLog = 0.0, sumInverse = 0.0
            var product = 1.0, factors = 0
            for i in range {
                let g = Int(groupOfTotal[i])
                if g != group {
                    sums[2 * group] += sumLog + log(product)
                    sums[2 * group + 1] += sumInverse
                    (group, sumLog, sumInverse, product, factors) = (g, 0, 0, 1, 0)
                }
                let shifted = totals[i] + v
                sumInverse += 1 / shifted
                guard shifted < 1e100, shifted > 1e-100 else {
                    sumLog += log(shifted)
                    continue
                }
                product *= shifted
                factors += 1
                if factors == 32 || product > 1e150 || product < 1e-150 {
                    sumLog += log(product)
                    (product, factors) = (1, 0)
                }
            }
            sums[2 * group] += sumLog + log(product)
            sums[2 * group + 1] += sumInverse
          }
          }
        }
        var value = 0.0, dp = 0.0, dq = 0.0, dv = 0.0
        let logV = log(v), lgammaQ: Double = lgamma(q), psiQ = digamma(q)
        for (g, group) in spend.groups.enumerated() {
            let x = group.x, n = group.customers, px = p * x
            let sumLog = sums[2 * g], sumInverse = sums[2 * g + 1]
            let psiPXQ = digamma(px + q)
            let gammaRatio: Double = lgamma(px + q) - lgamma(px) - lgammaQ
            value += n * (gammaRatio + q * logV + px * group.logX) + (px - 1) * group.sumLogM - (px + q) * sumLog
            dp += x * (n * (psiPXQ - digamma(px) + group.logX) + group.sumLogM - sumLog)
            dq += n * (psiPXQ - psiQ + logV) - sumLog
            dv += n * q / v - (px + q) * sumInverse
        }
        return (value, [dp, dq, dv])
    }

    /// Repeat customers grouped by purchase count: per count, the customers and Σ ln m; and
    /// each customer's total repeat spend x m, the customers of a count together.
    struct SpendSummary {
        struct Group {
            var x: Double, logX: Double, customers: Double, sumLogM: Double
        }
        var groups: [Group] = []
        var totals: [Double] = []
        /// The group of each total.
        var groupOfTotal: [Int32] = []
        var customers = 0

        init(_ repeats: [(x: Double, m: Double)]) {
            var indexOfCount: [Double: Int] = [:]
            var groupOfCustomer = [Int32](repeating: 0, count: repeats.count)
            for (i, customer) in repeats.enumerated() {
                let index = indexOfCount[customer.x] ?? groups.count
                if index == groups.count {
                    indexOfCount[customer.x] = index
                    groups.append(Group(x: customer.x, logX: log(customer.x), customers: 0, sumLogM: 0))
                }
                groups[index].customers += 1
                groups[index].sumLogM += log(customer.m)
                groupOfCustomer[i] = Int32(index)
            }
            // The totals by group (a counting sort), each group's in the customers' order.
            var next = [Int](repeating: 0, count: groups.count + 1)
            for g in groupOfCustomer { next[Int(g) + 1] += 1 }
            for g in groups.indices { next[g + 1] += next[g] }
            totals = [Double](repeating: 0, count: repeats.count)
            groupOfTotal = [Int32](repeating: 0, count: repeats.count)
            for (i, customer) in repeats.enumerated() {
                let g = Int(groupOfCustomer[i])
                totals[next[g]] = customer.x * customer.m
                groupOfTotal[next[g]] = Int32(g)
                next[g] += 1
            }
            customers = repeats.count
        }
    }

    /// The maximum-likelihood Gamma-Gamma on the repeat customers among `customers`.
    public static func fit(_ customers: [(x: Double, m: Double)]) -> ModelFit<GammaGamma> {
        let repeats = customers.filter { $0.x > 0 && $0.m > 0 }
        let meanM = repeats.isEmpty ? 1 : repeats.reduce(0) { $0 + $1.m } / Double(repeats.count)
        let starts = [[1, 1, meanM], [5, 3, meanM], [10, 5, 2 * meanM]]
        let spend = SpendSummary(repeats)
        return Fitting.fit(names: parameterNames, starts: starts, customers: repeats.count,
                           likelihood: .analytic { GammaGamma($0).logLikelihoodAndGradient(spend) }, model: GammaGamma.init)
    }

    /// The correlation of purchase count and mean value among repeat customers, which the
    /// model assumes is near 0 (CDNOW sample: 0.1139).
    public static func frequencySpendCorrelation(_ customers: [(x: Double, m: Double)]) -> Double? {
        let repeats = customers.filter { $0.x > 0 }
        return Correlation.pearson(repeats.map(\.x), repeats.map(\.m))
    }
}
