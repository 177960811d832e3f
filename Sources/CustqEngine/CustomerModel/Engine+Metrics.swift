import CustqResult

extension Engine {
    /// `metrics`: every definition, by kind then name, with what the loaded data makes of it.
    public var metricSummaries: [MetricSummary] {
        definitions.values.sorted { ($0.about.kind ?? "~", $0.name) < ($1.about.kind ?? "~", $1.name) }.map { definition in
            var per = MetricSummary.Per.customer
            var usable = MetricSummary.Usable.yes
            if !definition.parameters.isEmpty {
                // A function's use decides what it reads; its names were checked at define.
                per = isMeasureByForm(definition) ? .group : .customer
            } else {
                switch status(of: definition) {
                case .perRow: per = .customer
                case .measure: per = .group
                case .unusable(let reason):
                    per = isMeasureByForm(definition) ? .group : .customer
                    usable = .no(reason: reason)
                }
            }
            let about = definition.about
            return MetricSummary(name: definition.signature, kind: about.kind, isYours: !definition.isBuiltIn, label: about.label,
                                 chinese: about.chinese, per: per, unit: about.unit, usable: usable)
        }
    }
}
