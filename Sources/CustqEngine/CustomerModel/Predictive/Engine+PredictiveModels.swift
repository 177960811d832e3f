import CustqLanguage
import CustqModels
import CustqResult
import CustqStore

/// `clv fit` and `clv`: the purchase and spend models fitted on the orders, kept for the session.
extension Engine {
    /// The table of each customer's x, t_x, T and m that `clv fit` adds, to query and export.
    public static let summaryTableName = "clv_summary"

    func run(_ statement: ModelStatement, at range: SourceRange) throws(EngineError) -> QueryResult {
        if statement != .show, let orders = catalog.table(named: Self.ordersTableName), let rows = orders.rowsElsewhere {
            throw .statement(LanguageError("the models are fitted on every order here, and \(orders.name) is on \(rows.location)", range,
                                           help: ".load \(orders.name) copies the orders in, then clv fit"))
        }
        switch statement {
        case .show:
            guard let models else {
                throw .statement(LanguageError("no model is fitted yet", range,
                                               help: "clv fit fits BG/NBD and Gamma-Gamma on the orders (clv fit by day|week|month)"))
            }
            return models.result
        case .fit(let model, let unit):
            return try fitModels(model ?? .bgnbd, unit: unit ?? .week, at: range).result
        case .check, .track:
            guard let models else {
                throw .statement(LanguageError("clv \(statement == .check ? "check" : "track") compares a fitted model with the "
                                               + "holdout, and none is fitted yet", range,
                                               help: ".asof DATE before the end of the orders, then clv fit: the orders after it are the holdout"))
            }
            let summary = try customerSummary(unit: models.unit, calibrationEnd: models.calibrationEnd, at: range)
            let holdoutEnd = latestOrderDay ?? models.calibrationEnd
            guard holdoutEnd > models.calibrationEnd else {
                throw .statement(LanguageError("there is no holdout: no order is dated after the calibration end "
                                               + CivilDate.isoString(ofDay: Int(models.calibrationEnd)), range,
                                               help: ".asof an earlier date and clv fit again: the orders after it are the holdout"))
            }
            let check = ModelCheck(models: models, summary: summary, holdoutEnd: holdoutEnd)
            return statement == .check ? check.byPurchases : check.tracking
        }
    }

    private func fitModels(_ kind: PurchaseModelKind, unit: ModelTimeUnit, at range: SourceRange) throws(EngineError) -> PredictiveModels {
        if let latest = latestOrderDay, asOfDay > latest {
            throw .statement(LanguageError("the calibration end \(CivilDate.isoString(ofDay: Int(asOfDay))) (the as-of date) is "
                                           + "after the last order, \(CivilDate.isoString(ofDay: Int(latest))): every customer would "
                                           + "look silent since then", range,
                                           help: ".asof \(CivilDate.isoString(ofDay: Int(latest))) or earlier, then clv fit"))
        }
        let summary = try customerSummary(unit: unit, calibrationEnd: asOfDay, at: range)
        let n = summary.x.count
        let history = PurchaseSummary(x: summary.x, tx: summary.tx, T: summary.T)
        let purchases = kind == .bgnbd ? FittedPurchaseModel(kind, BGNBD.fit(history)) : FittedPurchaseModel(kind, ParetoNBD.fit(history))
        var notes: [ResultNote] = [
            .purchaseSummary(customers: n, repeatCustomers: summary.repeatCustomers, unit: unit.rawValue,
                             calibrationEnd: asOfDay, ordersLeftOut: summary.ordersLeftOut),
            .modelFit(purchases.facts),
        ]
        if n < 10 { notes.append(.modelWarning(.fewCustomers(n))) }
        if let bgnbd = purchases.model as? BGNBD, abs(bgnbd.a - 1) < 0.05 { notes.append(.modelWarning(.dropoutNearOne(a: bgnbd.a))) }
        if let bgnbd = purchases.model as? BGNBD, bgnbd.a > 1_000, bgnbd.b > 1_000 {
            notes.append(.modelWarning(.commonDropout(a: bgnbd.a, b: bgnbd.b)))
        }
        var spend: ModelFit<GammaGamma>?
        do {
            let repeats = (0..<n).compactMap { i in summary.m[i].map { (x: summary.x[i], m: $0) } }.filter { $0.m > 0 }
            if repeats.isEmpty {
                notes.append(.modelWarning(.noRepeatSpend))
            } else {
                let fit = GammaGamma.fit(repeats)
                spend = fit
                notes.append(.modelFit(PredictiveModels.facts("Gamma-Gamma", fit)))
                if let r = GammaGamma.frequencySpendCorrelation(repeats) {
                    notes.append(.spendFrequencyCorrelation(r))
                    if abs(r) >= 0.3 { notes.append(.modelWarning(.spendFollowsFrequency(correlation: r))) }
                }
                if fit.model.q <= 1 { notes.append(.modelWarning(.infiniteMeanSpend(q: fit.model.q))) }
            }
        }
        let models = PredictiveModels(unit: unit, calibrationEnd: asOfDay, purchases: purchases, spend: spend, notes: notes)
        catalog.add(summary.table(named: Self.summaryTableName, source: Self.derivedSource + "the orders by clv fit"))
        if spend == nil { for name in PredictiveModels.spendParameterNames + ["expected_spend"] { removeBuiltIn(name) } }
        for other in PurchaseModelKind.allCases where other != kind {
            for name in FittedPurchaseModel.parameterNames(other) { removeBuiltIn(name) }
        }
        try loadPrelude(models.definitions)
        self.models = models
        return models
    }

    /// The orders' customer summary up to the as-of date, or what to name for it.
    private func customerSummary(unit: ModelTimeUnit, calibrationEnd: Int32, at range: SourceRange) throws(EngineError) -> CustomerSummary {
        let help = ".orders TABLE customer_id=COLUMN order_date=COLUMN amount=COLUMN"
        guard let orders = catalog.tables.first(where: { $0.answers(to: Self.ordersTableName) }) else {
            throw .statement(LanguageError("clv fit reads the orders, and no orders table is loaded", range, help: help))
        }
        guard let key = orders.column(named: keyColumn) else {
            throw .statement(LanguageError("clv fit needs the customer of each order, but \(orders.name) has no \(keyColumn)",
                                           range, help: help))
        }
        // Purchases only (cancelled orders and returns are none; see OrderLines).
        guard let date = orders.column(named: Self.purchaseDateColumn) ?? orders.column(named: Self.orderDateColumn),
              date.type == .date else {
            throw .statement(LanguageError("clv fit needs the date of each order, but \(orders.name) has no date column "
                                           + Self.orderDateColumn, range, help: help))
        }
        let amount = orders.column(named: Self.amountColumn).flatMap { $0.type == .integer || $0.type == .decimal ? OrderLines.numbers($0) : nil }
        let summary = CustomerSummary(key: key, date: date, amount: amount, calibrationEnd: calibrationEnd, unitDays: unit.days)
        guard summary.repeatCustomers > 0 else {
            let line = summary.x.isEmpty ? "no customer has a purchase up to the as-of date"
                                         : "no customer bought again after their first purchase day"
            throw .statement(LanguageError("clv fit cannot fit a purchase model: " + line, range,
                                           help: "the models need repeat purchases; .asof sets the calibration end"))
        }
        return summary
    }
}
