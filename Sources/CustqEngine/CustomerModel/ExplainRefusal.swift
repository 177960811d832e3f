import CustqLanguage
import CustqResult
import CustqStore
import CustqText

/// Why `explain NAME` has nothing to explain.
public enum ExplainRefusal: Error, Sendable {
    /// NAME is a column (described, not explained); `inDefaultTable` when queries without
    /// `from` read its table.
    case isAColumn(column: String, table: String, type: ColumnType, inDefaultTable: Bool)
    /// No metric has the name; the closest that does, if one is close.
    case unknown(name: String, closest: String?)
}
