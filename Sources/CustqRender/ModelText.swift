import CustqResult
import CustqStore
import CustqText

/// The notes under `clv fit` and `clv`: what the models were fitted on, how each fit went,
/// and what to weigh before using them.
enum ModelText {
    static func note(_ note: ResultNote) -> String {
        switch note {
        case .purchaseSummary(let customers, let repeats, let unit, let end, let late):
            var line = "fitted on \(Plural.count(customers, "customer")) with a purchase up to "
                + "\(CivilDate.isoString(ofDay: Int(end))) (the as-of date), \(NumberFormat.grouped(repeats)) of them "
                + "buying again; times in \(unit)s"
            if late > 0 { line += "; \(Plural.count(late, "order")) after it left out" }
            return line
        case .modelFit(let fit):
            return "\(fit.model): log-likelihood \(fixed(fit.logLikelihood, 4)), AIC \(fixed(fit.aic, 2)), "
                + "\(Plural.count(fit.customers, "customer")), \(Plural.count(fit.iterations, "iteration")), "
                + "\(fit.startsAgreeing) of \(fit.starts) starts agree: " + verdict(fit.verdict)
        case .spendFrequencyCorrelation(let r):
            return "correlation of purchase count and mean spend among repeat customers: \(fixed(r, 4))"
        case .modelWarning(let warning):
            return "warning: " + self.warning(warning)
        case .holdout(let from, let to, let length, let unit, let actual, let expected, let correlation):
            return "holdout \(CivilDate.isoString(ofDay: Int(from + 1))) to \(CivilDate.isoString(ofDay: Int(to))) "
                + "(\(fixed(length, 2)) \(unit)s): \(NumberFormat.grouped(Int(actual.rounded()))) repeat purchases, "
                + "the model expected \(fixed(expected, 1))"
                + (correlation.map { "; correlation per customer \(fixed($0, 3))" } ?? "")
        case .holdoutBegins(let day, let week):
            return "the holdout begins on \(CivilDate.isoString(ofDay: Int(day))), in week \(NumberFormat.grouped(week)): "
                + "the weeks before it are the calibration period the model was fitted on"
        default:
            return ""
        }
    }

    static func verdict(_ verdict: FitVerdict) -> String {
        switch verdict {
        case .converged: "converged"
        case .stuckAtStart: "stuck at the start values (the likelihood gave no direction): do not use it"
        case .boundary(let parameter): "\(parameter) ran off to a boundary: the data do not pin it down"
        case .hessianNotPositiveDefinite: "the Hessian is not positive definite, so there are no standard errors"
        case .notConverged: "did not converge: the likelihood stopped improving before its gradient vanished"
        }
    }

    static func warning(_ warning: ModelWarning) -> String {
        switch warning {
        case .dropoutNearOne(let a):
            "BG/NBD's a is \(fixed(a, 4)), close to 1: expected purchases are taken at their limit there"
        case .commonDropout(let a, let b):
            "BG/NBD's a and b both ran off together (a/(a+b) = \(fixed(a / (a + b), 4))): every customer drops out after "
                + "a purchase with the same probability, \(fixed(100 * a / (a + b), 1))%; the predictions hold, a and b alone mean little"
        case .infiniteMeanSpend(let q):
            "Gamma-Gamma's q is \(fixed(q, 4)) (≤ 1): the mean spend is infinite, so no expected spend is given"
        case .spendFollowsFrequency(let r):
            "spend and frequency correlate (\(fixed(r, 2)); Gamma-Gamma assumes they do not): expected spend may be biased"
        case .noRepeatSpend:
            "no repeat purchase has a positive amount (or the orders have no amount): no spend model, so no expected_spend or predicted_clv"
        case .fewCustomers(let n):
            "only \(Plural.count(n, "customer")): with fewer than 10, the estimates say little"
        }
    }

    private static func fixed(_ value: Double, _ decimals: Int) -> String {
        PeopleText.fixed(value, decimals: decimals)
    }
}
