#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A model fitted by maximum likelihood: its parameters with standard errors (from the
/// Hessian of the log-likelihood), the fit's figures and whether it can be trusted.
public struct ModelFit<Model: Sendable>: Sendable {
    public var model: Model
    public var names: [String]
    public var estimates: [Double]
    /// Nil when the Hessian is not positive definite (no standard errors then).
    public var standardErrors: [Double]?
    public var logLikelihood: Double
    /// Customers the model was fitted on.
    public var customers: Int
    public var iterations: Int
    public var verdict: Verdict
    /// How many starting points were tried, and how many reached the same maximum.
    public var starts: Int
    public var startsAgreeing: Int

    public var aic: Double { 2 * Double(estimates.count) - 2 * logLikelihood }

    public enum Verdict: Sendable, Equatable {
        case converged
        /// The search did not move from where it started (a flat or broken likelihood).
        case stuckAtStart
        /// A parameter ran off towards 0 or infinity (named).
        case boundary(String)
        case hessianNotPositiveDefinite
        /// The search stopped (iteration limit, or no more progress) before the gradient vanished.
        case notConverged
    }
}

/// Maximum likelihood over log-parameters from several starts; the best is kept.
enum Fitting {
    /// How far (in log) from its start a parameter may go before it counts as run off: 10⁶.
    static let runOff = log(1e6)

    /// A log-likelihood in the model's parameters: values only, or with its gradient.
    enum Likelihood {
        case numeric(([Double]) -> Double)
        case analytic(([Double]) -> (value: Double, gradient: [Double]))
    }

    static func fit<Model: Sendable>(names: [String], starts: [[Double]], customers: Int, likelihood: Likelihood,
                                     model: ([Double]) -> Model) -> ModelFit<Model> {
        // The mean negative log-likelihood over θ = ln p, so the gradient tolerance does not
        // depend on n; by the chain rule its gradient is −p ∂ln L/∂p / n.
        let scale = 1 / Double(max(1, customers))
        let objective: Minimizer.Objective
        switch likelihood {
        case .numeric(let logLikelihood):
            objective = .numeric { theta in
                let value = -logLikelihood(theta.map(exp)) * scale
                return value.isFinite ? value : .infinity
            }
        case .analytic(let logLikelihood):
            objective = .analytic { theta in
                let parameters = theta.map(exp)
                let (value, gradient) = logLikelihood(parameters)
                guard value.isFinite else { return (.infinity, gradient.map { _ in .nan }) }
                return (-value * scale, zip(parameters, gradient).map { -$0 * $1 * scale })
            }
        }
        var best: (start: [Double], minimum: Minimizer.Minimum)?
        var minima: [Minimizer.Minimum] = []
        for start in starts {
            // A parameter a million times its start has run off: the likelihood only creeps up there.
            let origin = start.map(log)
            let minimum = Minimizer.minimize(objective, from: origin,
                                             giveUp: { theta in zip(theta, origin).contains { abs($0 - $1) > Fitting.runOff } })
            minima.append(minimum)
            if best == nil || minimum.value < best!.minimum.value { best = (start, minimum) }
        }
        let (start, minimum) = best!
        let estimates = minimum.point.map(exp)
        let agreeing = minima.count { abs($0.value - minimum.value) <= 1e-9 * max(1, abs(minimum.value)) }
        // Standard errors: the inverse Hessian of −ln L in θ = ln p, then p·se(θ).
        let hessian = Minimizer.hessian(objective, at: minimum.point).map { $0.map { $0 / scale } }
        let covariance = Minimizer.inverseOfPositiveDefinite(hessian)
        let errors = covariance.map { c in estimates.indices.map { estimates[$0] * c[$0][$0].squareRoot() } }
        var verdict = ModelFit<Model>.Verdict.converged
        let origin = start.map(log)
        if let far = minimum.point.indices.first(where: { abs(minimum.point[$0] - origin[$0]) > Fitting.runOff }) {
            verdict = .boundary(names[far])
        } else if minimum.iterations == 0 || zip(minimum.point, origin).allSatisfy({ abs($0 - $1) < 1e-6 }) {
            verdict = .stuckAtStart
        } else if !minimum.converged {
            verdict = .notConverged
        } else if covariance == nil {
            verdict = .hessianNotPositiveDefinite
        }
        return ModelFit(model: model(estimates), names: names, estimates: estimates, standardErrors: errors,
                        logLikelihood: -minimum.value / scale, customers: customers, iterations: minimum.iterations,
                        verdict: verdict, starts: starts.count, startsAgreeing: agreeing)
    }
}

extension BGNBD {
    /// The maximum-likelihood BG/NBD for `summary`, from three starts scaled to its time unit.
    public static func fit(_ summary: PurchaseSummary) -> ModelFit<BGNBD> {
        let s = max(summary.meanT / 40, 1e-3)
        let starts = [[1, s, 1, 1], [0.3, 5 * s, 0.8, 2.5], [2, 10 * s, 2, 5]]
        return Fitting.fit(names: parameterNames, starts: starts, customers: summary.customers,
                           likelihood: .analytic { BGNBD($0).logLikelihoodAndGradient(summary) }, model: BGNBD.init)
    }
}
