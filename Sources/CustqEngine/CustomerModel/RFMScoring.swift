import CustqLanguage

/// How the RFM scores in force are computed: the library's two ways (`.scoring ntile`,
/// `.scoring cutpoints`), or a user's own definition of r_score.
public enum RFMScoring: Sendable, Equatable {
    /// Equal-count groups (`ntile`, SQL NTILE(5)), ties split by the customer key.
    case equalCount(tieBreak: String)
    /// Value cut points (`qcut`): equal values share a score.
    case cutPoints
    /// r_score is defined some other way, or not at all.
    case other
}

extension Engine {
    /// The RFM scoring in force, read from r_score's definition.
    public var rfmScoring: RFMScoring {
        guard case .call(let name, _, _)? = definitions["r_score"]?.expression.kind else { return .other }
        switch name.lowercased() {
        case "ntile": return .equalCount(tieBreak: keyColumn)
        case "qcut": return .cutPoints
        default: return .other
        }
    }
}
