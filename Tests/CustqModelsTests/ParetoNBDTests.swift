import Foundation
import Testing
@testable import CustqModels

/// Pareto/NBD: the fit on the CDNOW summary against the published one, and finite values
/// where the hypergeometric series is hardest.
@Suite struct ParetoNBDTests {
    @Test func theFitOnTheCDNOWSampleIsThePublishedOne() throws {
        let fit = ParetoNBD.fit(PurchaseSummary(customers: try CDNOW.summary()))
        #expect(fit.verdict == .converged)
        // CLV.md: r 0.553, α 10.577, s 0.606, β 11.668, LL −9594.98.
        for (value, published) in zip(fit.estimates, [0.553, 10.577, 0.606, 11.668]) {
            #expect(String(format: "%.3g", value) == String(format: "%.3g", published), "\(fit.estimates)")
        }
        #expect(abs(fit.logLikelihood - -9594.98) < 0.01, "\(fit.logLikelihood)")
    }

    @Test func valuesStayFiniteForLargeCountsAndBothOrdersOfAlphaAndBeta() {
        for model in [ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67), ParetoNBD(r: 0.553, alpha: 11.67, s: 0.606, beta: 10.58),
                      ParetoNBD(r: 2, alpha: 3, s: 1, beta: 8)] {
            for x in [0.0, 1, 5, 100, 2_000, 10_000] {
                let tx = x == 0 ? 0 : 38.0
                let alive = model.probabilityAlive(x: x, tx: tx, T: 38.86)
                #expect(alive.isFinite && alive >= 0 && alive <= 1, "\(model) x=\(x): \(alive)")
                #expect(model.expectedPurchases(in: 39, x: x, tx: tx, T: 38.86)?.isFinite == true)
                #expect(model.logLikelihood(x: x, tx: tx, T: 38.86).isFinite, "\(model) x=\(x)")
            }
        }
        // With no repeat purchase and no time passed, the customer is surely alive.
        #expect(ParetoNBD(r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67).probabilityAlive(x: 0, tx: 0, T: 0) == 1)
    }
}
