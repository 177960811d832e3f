/// One statement, as parsed.
public struct Statement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case query(Query)
        /// `define NAME = EXPR`.
        case define(name: String, nameRange: SourceRange, expression: Expr, about: DefinitionText)
        /// `undefine NAME`: removes a definition of yours, or brings back the built-in one it replaced.
        case undefine(name: String, nameRange: SourceRange)
        /// `exit` or `quit` alone, as in DuckDB's shell: leave.
        case quit
        /// `help` alone (or `help TOPIC`): help is a dot-command, `.help`.
        case help(topic: String?)
        /// `metrics`: the metric library, listed.
        case metrics
        /// `explain NAME`: what a metric means, worked on the loaded data.
        case explain(name: String, nameRange: SourceRange)
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// An item in a `show` list or an aggregate list, with an optional `as NAME`.
public struct SelectItem: Sendable, Equatable {
    public var expression: Expr
    public var alias: String?

    public init(_ expression: Expr, alias: String? = nil) {
        self.expression = expression
        self.alias = alias
    }
}

public struct OrderKey: Sendable, Equatable {
    public var expression: Expr
    public var descending: Bool

    public init(_ expression: Expr, descending: Bool) {
        self.expression = expression
        self.descending = descending
    }
}

/// A query: its form plus the clauses that may follow the head in any order.
/// The period a cohort table groups orders by.
public enum CohortPeriod: String, Sendable, Equatable, CaseIterable {
    case month, quarter, year
}

public struct Query: Sendable, Equatable {
    public enum Form: Sendable, Equatable {
        /// `top N by EXPR [asc|desc]` (`bottom` is ascending by default).
        case top(count: Int, by: Expr, descending: Bool)
        /// `show ITEMS` or `show *`.
        case show(items: [SelectItem], all: Bool)
        /// `count`, `avg clv, nps`, … (grouped by `by`).
        case aggregate(items: [SelectItem])
        /// `describe [COLUMNS]`.
        case describe(columns: [Expr])
        /// `histogram EXPR [bins N]`.
        case histogram(Expr)
        /// `chart AGG by GROUP`.
        case chart(SelectItem)
        /// `cohort [by month|quarter|year]`: retention of customers by the period of their
        /// first order.
        case cohort(CohortPeriod)
        /// `rfm [by GROUP] [where COND] [order by …] [limit N]`: the RFM segments of the
        /// customers, a row per segment (per group and segment).
        case rfm
        /// `abc by VALUE [where COND] [order by …] [limit N]`: the customers' A, B and C
        /// classes by their share of VALUE's total.
        case abc(value: Expr)
    }

    public var form: Form
    /// `from TABLE`.
    public var table: (name: String, range: SourceRange)?
    public var filter: Expr?
    public var groups: [Expr] = []
    public var order: [OrderKey] = []
    public var limit: Int?
    /// `show ITEMS` after `top`/`bottom`.
    public var extraColumns: [SelectItem] = []
    public var bins: Int?

    public init(form: Form) {
        self.form = form
    }

    public static func == (lhs: Query, rhs: Query) -> Bool {
        lhs.form == rhs.form && lhs.table?.name == rhs.table?.name && lhs.filter == rhs.filter
            && lhs.groups == rhs.groups && lhs.order == rhs.order && lhs.limit == rhs.limit
            && lhs.extraColumns == rhs.extraColumns && lhs.bins == rhs.bins
    }
}

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
