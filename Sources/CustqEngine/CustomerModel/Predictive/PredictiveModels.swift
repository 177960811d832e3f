import CustqLanguage
import CustqModels
import CustqResult
import CustqStore

/// The models fitted with `clv fit` in this session (DESIGN.md §8): BG/NBD or Pareto/NBD for
/// purchases, Gamma-Gamma for spend, the time unit and calibration end they were fitted with, and
/// what the fit said.
public struct PredictiveModels: Sendable {
    public var unit: ModelTimeUnit
    public var calibrationEnd: Int32
    public var purchases: FittedPurchaseModel
    public var spend: ModelFit<GammaGamma>?
    /// The notes every showing of the models carries.
    var notes: [ResultNote]

    /// The definitions that hold the fitted spend parameters, in the order of the model's own.
    static let spendParameterNames = ["gg_p", "gg_q", "gg_v"]
    static let unitDaysName = "clv_unit_days"
    /// Every name a fit defines.
    static let definedNames: Set<String> = Set(PurchaseModelKind.allCases.flatMap(FittedPurchaseModel.parameterNames)
                                               + spendParameterNames + [unitDaysName, "p_alive", "expected_spend"])

    /// What a fit defines, in custq's language (so `explain p_alive` shows the formula and
    /// the parameters): the parameters, the unit, and the per-customer values that need no
    /// argument. `expected_purchases(t)` and `predicted_clv(months)` are calls (the binder
    /// writes them on the same names).
    var definitions: String {
        let source = "clv fit \(CivilDate.isoString(ofDay: Int(calibrationEnd))), by \(unit.rawValue)"
        var text = ""
        let kind = purchases.kind, parameters = FittedPurchaseModel.parameterNames(kind)
        for (name, value) in zip(parameters, purchases.estimates) {
            text += "define \(name) = \(value) kind 'Prediction' about '\(purchases.title) parameter fitted by \(source)'\n"
        }
        text += "define \(Self.unitDaysName) = \(unit.days) kind 'Prediction' unit 'days' about 'Days in the time unit of the models (\(unit.rawValue))'\n"
        text += """
            define p_alive = \(kind.rawValue)_p_alive(clv_summary.x, clv_summary.t_x, clv_summary.T, \(parameters.joined(separator: ", ")))
              label 'Probability alive (\(purchases.title))' chinese '客户存活概率' kind 'Prediction' unit 'probability (0 to 1)'
              about 'The probability that the customer has not dropped out, from their repeat purchases x, the time t_x of their last purchase and their time T as a customer (clv_summary), under the \(purchases.title) model fitted by \(source).'
              note 'Null for a customer with no purchase up to the calibration end.'

            """
        if let spend {
            for (name, value) in zip(Self.spendParameterNames, spend.estimates) {
                text += "define \(name) = \(value) kind 'Prediction' about 'Gamma-Gamma parameter fitted by \(source)'\n"
            }
            text += """
                define expected_spend = gg_expected_spend(clv_summary.x, clv_summary.m, gg_p, gg_q, gg_v)
                  label 'Expected spend per purchase (Gamma-Gamma)' chinese '预期客单价' kind 'Prediction' unit 'currency'
                  about 'The expected value of each next purchase of the customer, their mean repeat spend m shrunk towards the population mean v p / (q - 1), the more the fewer purchases they made (Gamma-Gamma fitted by \(source)).'
                  note 'Null when q <= 1 (the population mean is infinite).'

                """
        }
        return text
    }

    /// The parameters as a result: a row per model and parameter, with its standard error.
    var result: QueryResult {
        var model: [String] = [], parameter: [String] = [], estimate: [Double] = [], error: [Double?] = []
        func add<M>(_ name: String, _ fit: ModelFit<M>) {
            for (index, label) in fit.names.enumerated() {
                model.append(name)
                parameter.append(label)
                estimate.append(fit.estimates[index])
                error.append(fit.standardErrors?[index])
            }
        }
        for (index, label) in purchases.names.enumerated() {
            model.append(purchases.title)
            parameter.append(label)
            estimate.append(purchases.estimates[index])
            error.append(purchases.standardErrors?[index])
        }
        if let spend { add("Gamma-Gamma", spend) }
        var columns = [Vector(storage: .string(StringValues(strings: model)), nulls: nil).column(named: "model"),
                       Vector(storage: .string(StringValues(strings: parameter)), nulls: nil).column(named: "parameter"),
                       Vector(storage: .decimal(estimate), nulls: nil).column(named: "estimate"),
                       Vector.decimals(error).column(named: "std_error")]
        for index in 2...3 { columns[index].unit = .estimate }
        var result = QueryResult(table: Table(name: "clv", columns: columns, rowCount: model.count), rowsScanned: model.count,
                                 rowsMatched: model.count)
        result.notes = notes
        return result
    }

    static func facts<M>(_ name: String, _ fit: ModelFit<M>) -> ModelFitFacts {
        let verdict: FitVerdict
        switch fit.verdict {
        case .converged: verdict = .converged
        case .stuckAtStart: verdict = .stuckAtStart
        case .boundary(let parameter): verdict = .boundary(parameter: parameter)
        case .hessianNotPositiveDefinite: verdict = .hessianNotPositiveDefinite
        case .notConverged: verdict = .notConverged
        }
        return ModelFitFacts(model: name, customers: fit.customers, logLikelihood: fit.logLikelihood, aic: fit.aic,
                             iterations: fit.iterations, starts: fit.starts, startsAgreeing: fit.startsAgreeing, verdict: verdict)
    }
}
