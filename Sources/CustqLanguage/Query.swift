/// A query: its form plus the clauses that may follow the head in any order.
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
        /// `retention [by month|quarter|year]`, `growth [by …]`: a row per period of the
        /// orders, with the customers active, new, retained … (or new customers and revenue).
        case periods(PeriodMeasure, CohortPeriod)
        /// `concentration by EXPR`: the share of EXPR's total held by the top 1, 5, 10, 20
        /// and 50 % of customers.
        case concentration(value: Expr)
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

extension Query.Form {
    /// The forms that read the orders whatever table is the default (cohort, retention, growth).
    public var readsOrders: Bool {
        switch self {
        case .cohort, .periods: true
        default: false
        }
    }

    /// The word the form starts with, for messages.
    public var headWord: String {
        switch self {
        case .cohort: "cohort"
        case .periods(let measure, _): measure.rawValue
        case .concentration: "concentration"
        case .top: "top"
        case .show: "show"
        case .aggregate: "aggregate"
        case .describe: "describe"
        case .histogram: "histogram"
        case .chart: "chart"
        case .rfm: "rfm"
        case .abc: "abc"
        }
    }
}
