/// What a definition says about itself, for `metrics` and `explain`:
/// `define nps = … label 'Net Promoter Score' chinese '净推荐值' kind 'Satisfaction' unit '…' about '…' note '…'`.
public struct DefinitionText: Sendable, Equatable {
    public var label: String?
    public var chinese: String?
    public var kind: String?
    public var unit: String?
    public var about: String?
    public var notes: [String] = []
    /// The values a text definition takes, in the order results list them
    /// (`levels 'potential, new, active, silent, churned'`): groups by it follow this order.
    public var levels: [String]?

    public init() {}

    /// The words that introduce each part, in the order they are listed.
    public static let words = ["label", "chinese", "kind", "unit", "about", "note", "levels"]
}
