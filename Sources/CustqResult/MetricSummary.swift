/// One definition as `metrics` lists it, as data: its kind and names, whether it is a value
/// per customer or a measure over a group, its unit, and whether the loaded data computes it.
public struct MetricSummary: Sendable, Equatable {
    public enum Per: Sendable, Equatable {
        case customer, group
    }

    public enum Usable: Sendable, Equatable {
        case yes
        /// Not on the loaded data, and why.
        case no(reason: String)
    }

    public var name: String
    public var kind: String?
    /// Defined by the user, not the metric library.
    public var isYours: Bool
    public var label: String?
    public var chinese: String?
    public var per: Per
    public var unit: String?
    public var usable: Usable

    public init(name: String, kind: String?, isYours: Bool, label: String?, chinese: String?, per: Per, unit: String?,
                usable: Usable) {
        self.name = name
        self.kind = kind
        self.isYours = isYours
        self.label = label
        self.chinese = chinese
        self.per = per
        self.unit = unit
        self.usable = usable
    }
}
