import Foundation
import Testing
@testable import CustqModels

/// Gamma-Gamma against CLV.md: the expected spend at the paper's parameters and the fit on
/// the CDNOW sample's 946 repeat customers.
@Suite struct GammaGammaTests {
    @Test func expectedSpendAtThePapersParametersIsTheReferenceValue() {
        let model = GammaGamma(p: 6.25, q: 3.74, v: 15.44)
        let spend = model.expectedSpend(x: 2, m: 22.35)!
        #expect(abs(spend - 24.6637139108) <= 1e-9 * 24.6637139108)
        #expect(GammaGamma(p: 6.25, q: 0.9, v: 15.44).expectedSpend(x: 2, m: 22.35) == nil)
    }

    @Test func theFitOnTheCDNOWRepeatCustomersIsThePublishedOne() throws {
        let customers = try CDNOW.spend()
        let fit = GammaGamma.fit(customers)
        #expect(fit.customers == 946)
        #expect(fit.verdict == .converged)
        // CLV.md: p 6.2488, q 3.7446, v 15.4477, LL −4055.92.
        for (value, published) in zip(fit.estimates, [6.2488, 3.7446, 15.4477]) {
            #expect(abs(value - published) <= 1e-4 * published, "\(fit.estimates)")
        }
        #expect(abs(fit.logLikelihood - -4055.92) < 0.01, "\(fit.logLikelihood)")
        let correlation = try #require(GammaGamma.frequencySpendCorrelation(customers))
        #expect(abs(correlation - 0.1139) < 0.00005, "\(correlation)")
    }

    @Test func theGroupedLikelihoodAndItsGradientAreThoseOfTheCustomersOneByOne() throws {
        let customers = try CDNOW.spend().filter { $0.x > 0 }
        let model = GammaGamma(p: 4, q: 2.5, v: 20)
        let (value, gradient) = model.logLikelihoodAndGradient(GammaGamma.SpendSummary(customers))
        let oneByOne = customers.reduce(0) { $0 + model.logLikelihood(x: $1.x, m: $1.m) }
        #expect(abs(value - oneByOne) <= 1e-10 * abs(oneByOne))
        // Central differences of the customers' sum, each step 1e-6 of the parameter.
        for index in 0..<3 {
            var up = [4.0, 2.5, 20], down = up
            let h = 1e-6 * up[index]
            up[index] += h
            down[index] -= h
            func total(_ values: [Double]) -> Double {
                let m = GammaGamma(values)
                return customers.reduce(0) { $0 + m.logLikelihood(x: $1.x, m: $1.m) }
            }
            let numeric = (total(up) - total(down)) / (2 * h)
            #expect(abs(gradient[index] - numeric) <= 1e-6 * max(1, abs(numeric)), "∂\(index): \(gradient[index]) vs \(numeric)")
        }
    }
}

extension CDNOW {
    /// x and the mean repeat-purchase value (zbar) of each CDNOW customer.
    static func spend() throws -> [(x: Double, m: Double)] {
        let file = try path().replacingOccurrences(of: "cdnow_customers_summary.csv",
                                                   with: "cdnow_customers_summary_with_transactions.csv")
        return try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = line.split(separator: ",").map { Double($0)! }
            return (fields[1], fields[4])
        }
    }
}
