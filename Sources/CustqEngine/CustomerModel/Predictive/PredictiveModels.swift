import CustqLanguage
import CustqModels
import CustqResult
import CustqStore

/// The models fitted with `clv fit` in this session (DESIGN.md §8): BG/NBD for purchases,
/// Gamma-Gamma for spend, the time unit and calibration end they were fitted with, and
/// what the fit said.
public struct PredictiveModels: Sendable {
    public var unit: ModelTimeUnit
    public var calibrationEnd: Int32
    public var purchases: ModelFit<BGNBD>
    public var spend: ModelFit<GammaGamma>?
    /// The notes every showing of the models carries.
    var notes: [ResultNote]

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
        add("BG/NBD", purchases)
        if let spend { add("Gamma-Gamma", spend) }
        var columns = [Vector(storage: .string(StringValues(strings: model)), nulls: nil).column(named: "model"),
                       Vector(storage: .string(StringValues(strings: parameter)), nulls: nil).column(named: "parameter"),
                       Vector(storage: .decimal(estimate), nulls: nil).column(named: "estimate"),
                       Vector(storage: .decimal(error.map { $0 ?? 0 }), nulls: error.contains(where: { $0 == nil }) ? error.map { $0 == nil } : nil)
                           .column(named: "std_error")]
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
