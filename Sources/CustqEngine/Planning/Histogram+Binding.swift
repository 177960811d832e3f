import CustqLanguage
import CustqStore

extension Histogram {
    /// The values binned: numbers or dates, in at most `maxBins` bins.
    func bind(_ expr: Expr, bins: Int) throws(EngineError) -> BoundQuery.Output {
        guard bins <= Self.maxBins else {
            throw .statement(LanguageError("a histogram has at most \(Self.maxBins) bins", expr.range,
                                           help: "e.g. histogram \(runner.text(expr.range)) bins 20"))
        }
        var binder = runner.makeBinder()
        let values = try runner.output(expr, named: runner.displayName(expr.range), &binder)
        guard values.expr.type.isNumeric || values.expr.type == .date else {
            throw .statement(EngineErrors.needs("histogram needs numbers or dates", found: values.expr.type, text: values.name,
                                                at: expr.range, help: "for text, count by \(values.name)"))
        }
        return values
    }
}
