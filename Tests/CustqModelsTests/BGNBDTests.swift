import Foundation
import Testing
@testable import CustqModels

/// The BG/NBD closed forms against the values CLV.md gives for the paper's parameters, the
/// numerics at purchase counts where the direct series overflows, and the fit against the
/// published CDNOW estimates.
@Suite struct BGNBDTests {
    static let paper = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

    func close(_ value: Double?, _ expected: Double, relative: Double = 1e-9) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= relative * abs(expected)
    }

    @Test func closedFormsAtThePapersParametersAreTheReferenceValues() {
        let m = Self.paper
        #expect(close(m.expectedPurchases(in: 39, x: 2, tx: 30.43, T: 38.86), 1.22602817477))
        #expect(close(m.probabilityAlive(x: 2, tx: 30.43, T: 38.86), 0.726578570081))
        #expect(close(m.expectedPurchases(in: 39, x: 0, tx: 0, T: 38.86), 0.195098052011))
        #expect(close(m.expectedPurchases(in: 39, x: 7, tx: 29.43, T: 38.86), 3.33705327485))
        #expect(close(m.probabilityAlive(x: 7, tx: 29.43, T: 38.86), 0.641756345946))
        #expect(close(m.expectedPurchases(in: 39), 1.19672319332))
        #expect(close(m.expectedPurchases(in: 78), 1.86051905794))
        #expect(close(m.probabilityOfNoPurchase(in: 39), 0.573786352096))
        #expect(m.probabilityAlive(x: 0, tx: 0, T: 38.86) == 1)
    }

    @Test func noNaNOrInfinityForAnyPurchaseCountUpToTenThousand() {
        for model in [Self.paper, BGNBD(r: 0.24, alpha: 4.4, a: 0.3, b: 0.5), BGNBD(r: 2, alpha: 1, a: 1, b: 3)] {
            for x in [0.0, 1, 2, 10, 100, 2_000, 10_000] {
                let tx = x == 0 ? 0 : 30.0
                let expected = model.expectedPurchases(in: 39, x: x, tx: tx, T: 38.86)
                let alive = model.probabilityAlive(x: x, tx: tx, T: 38.86)
                #expect(expected?.isFinite == true && expected! >= 0, "\(model) x=\(x): \(String(describing: expected))")
                #expect(alive.isFinite && alive >= 0 && alive <= 1)
                #expect(model.logLikelihood(x: x, tx: tx, T: 38.86).isFinite)
            }
        }
        // Customers who hardly drop out (a, b in the hundred thousands, as a fit on the example
        // orders gives): the Euler series does not settle and the direct one takes over.
        // lifetimes 0.11.3 (scipy's hyp2f1) gives 0.9246899917440518 here.
        let sticky = BGNBD(r: 1.077, alpha: 19.57, a: 50_859, b: 728_229)
        #expect(close(sticky.expectedPurchases(in: 13, x: 3, tx: 25, T: 30), 0.9246899917440518))
        // a = 1 exactly: the limit of (1 − …)/(a − 1), between its neighbours.
        let at = BGNBD(r: 0.243, alpha: 4.414, a: 1, b: 2.426).expectedPurchases(in: 39, x: 2, tx: 30.43, T: 38.86)!
        let below = BGNBD(r: 0.243, alpha: 4.414, a: 1 - 1e-4, b: 2.426).expectedPurchases(in: 39, x: 2, tx: 30.43, T: 38.86)!
        let above = BGNBD(r: 0.243, alpha: 4.414, a: 1 + 1e-4, b: 2.426).expectedPurchases(in: 39, x: 2, tx: 30.43, T: 38.86)!
        #expect(min(below, above) <= at && at <= max(below, above))
    }

    @Test func theGradientIsTheDerivativeOfTheSummedLikelihood() throws {
        let summary = PurchaseSummary(customers: try CDNOW.summary())
        // Equal customers are one row: CDNOW's 2,357 customers have 1,411 distinct (x, t_x, T).
        #expect(summary.weight.reduce(0, +) == 2357)
        #expect(summary.customersWithCount.reduce(0, +) == 2357)
        for parameters in [[0.243, 4.414, 0.793, 2.426], [1.5, 0.8, 3, 0.4], [0.05, 30, 0.2, 12]] {
            let (value, gradient) = BGNBD(parameters).logLikelihoodAndGradient(summary)
            let oneByOne = try CDNOW.summary().reduce(0) { $0 + BGNBD(parameters).logLikelihood(x: $1.x, tx: $1.tx, T: $1.T) }
            #expect(abs(value - oneByOne) <= 1e-10 * abs(oneByOne))
            for index in 0..<4 {
                var up = parameters, down = parameters
                let h = 1e-5 * parameters[index]
                up[index] += h
                down[index] -= h
                let numeric = (BGNBD(up).logLikelihood(summary) - BGNBD(down).logLikelihood(summary)) / (2 * h)
                #expect(abs(gradient[index] - numeric) <= 1e-5 * max(1, abs(numeric)), "\(parameters) ∂\(index): \(gradient[index]) vs \(numeric)")
            }
        }
    }

    @Test func digammaIsTheDerivativeOfLogGamma() {
        // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(10) = H₉ − γ (Abramowitz & Stegun 6.3.2–6.3.4).
        let gamma = 0.57721566490153286
        #expect(abs(digamma(1) - -gamma) < 1e-14)
        #expect(abs(digamma(0.5) - (-gamma - 2 * log(2.0))) < 1e-14)
        let harmonic9 = (1...9).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(abs(digamma(10) - (harmonic9 - gamma)) < 1e-14)
        #expect(abs(digamma(1e-3) - -1000.5755719318103) < 1e-10)
    }

    @Test func theFitOnTheCDNOWSampleIsThePublishedOne() throws {
        let rows = try CDNOW.summary()
        let summary = PurchaseSummary(customers: rows)
        #expect(summary.customers == 2357)
        let fit = BGNBD.fit(summary)
        #expect(fit.verdict == .converged)
        // CLV.md: r 0.242593, α 4.413532, a 0.792886, b 2.425754; LL −9582.4256 (lifetimes: b 2.425752).
        for (value, published) in zip(fit.estimates, [0.242593, 4.413532, 0.792886, 2.425754]) {
            #expect(close(value, published, relative: 1e-4), "\(fit.estimates)")
        }
        #expect(abs(fit.logLikelihood - -9582.4256) < 1e-3)
        let errors = try #require(fit.standardErrors)
        for (value, published) in zip(errors, [0.0126, 0.3782, 0.1857, 0.7053]) {
            #expect(abs(value - published) <= 0.0051 * published, "\(errors)")
        }
    }
}

/// The CDNOW 1/10 sample's x/t_x/T summary as the lifetimes package on PyPI ships it (make
/// python-deps installs it into the tests' virtualenv); it is read from there, not copied.
enum CDNOW {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "lifetimes' cdnow_customers_summary.csv was not found: run make python-deps" }
    }

    static func summary() throws -> [(x: Double, tx: Double, T: Double)] {
        let text = try String(contentsOfFile: try path(), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let fields = line.split(separator: ",").map { Double($0)! }
            return (fields[1], fields[2], fields[3])
        }
    }

    static func path() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"] ?? (environment["HOME"] ?? "/root") + "/.cache"
        let lib = cache + "/custq/venv/lib"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        for version in versions.sorted() where version.hasPrefix("python") {
            let file = "\(lib)/\(version)/site-packages/lifetimes/datasets/cdnow_customers_summary.csv"
            if FileManager.default.fileExists(atPath: file) { return file }
        }
        throw Missing()
    }
}
