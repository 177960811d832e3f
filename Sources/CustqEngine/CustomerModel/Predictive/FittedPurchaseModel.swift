import CustqLanguage
import CustqModels
import CustqResult

/// The purchase model a fit chose (BG/NBD or Pareto/NBD), with its estimates and what the
/// fit said, whatever the model.
public struct FittedPurchaseModel: Sendable {
    public let kind: PurchaseModelKind
    public let model: any PurchaseModel
    public let names: [String]
    public let estimates: [Double]
    public let standardErrors: [Double]?
    let facts: ModelFitFacts

    init<M: PurchaseModel>(_ kind: PurchaseModelKind, _ fit: ModelFit<M>) {
        self.kind = kind
        model = fit.model
        names = fit.names
        estimates = fit.estimates
        standardErrors = fit.standardErrors
        facts = PredictiveModels.facts(Self.title(kind), fit)
    }

    static func title(_ kind: PurchaseModelKind) -> String { kind == .bgnbd ? "BG/NBD" : "Pareto/NBD" }
    var title: String { Self.title(kind) }

    /// The definitions that hold the parameters (`bgnbd_r`, …, `pnbd_beta`).
    static func parameterNames(_ kind: PurchaseModelKind) -> [String] {
        (kind == .bgnbd ? BGNBD.parameterNames : ParetoNBD.parameterNames).map { "\(kind.rawValue)_\($0)" }
    }
}
