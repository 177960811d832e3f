import CustqLanguage
import CustqStore

/// A query bound and checked before any row is read: the logical plan the executor runs.
/// Every name is a typed column reference, every function and aggregate resolved, every
/// type checked; it holds no rows. The steps: scan the table, keep the rows `filter` allows,
/// then the form's own (rank and take N; list and sort; group, aggregate and sort), then
/// the limit.
struct BoundQuery {
    /// The rows to keep (`where`) and where it was written; nil keeps every row.
    var filter: (condition: BoundExpr, range: SourceRange)?
    var form: Form
    /// `chart`: the result is drawn as bars under this title.
    var chartTitle: String?
    /// `rfm`, `abc by VALUE`: the segment table this aggregate list stands for.
    var segments: SegmentTable.Finish?

    enum Form {
        case top(Ranking)
        case show(Listing)
        case aggregate(Summary)
        /// `describe [COLUMNS]`: the columns or expressions described.
        case describe([Output])
        /// `histogram EXPR [bins N]`: the values and how many equal-width bins.
        case histogram(Output, bins: Int)
        /// `cohort [by PERIOD]`: the orders' customer and date columns.
        case cohort(Cohorting)
        /// `retention by PERIOD`, `growth by PERIOD`: the orders' columns they read.
        case periods(Periods)
        /// `concentration by EXPR`: the value per customer.
        case concentration(Output)
    }

    /// A table by period's inputs: the counted orders (customer, purchase date), and for
    /// growth the amount of each line and the date it is counted by.
    struct Periods {
        let measure: PeriodMeasure
        let orders: Cohorting
        let amount: Int?
        let lineDate: Int?
    }

    /// A cohort table's inputs on the orders: the period, and the columns of each order's
    /// customer and (purchase) date.
    struct Cohorting {
        let period: CohortPeriod
        let key: Int
        let date: Int
    }

    /// An expression and the result column it makes: its name, its unit, and where the
    /// statement wrote it (for errors while it is computed).
    struct Output {
        let expr: BoundExpr
        let name: String
        let unit: ColumnUnit
        let range: SourceRange
    }

    /// `top N by KEY [show …]` (and `bottom`): the N rows with the largest (smallest) key,
    /// shown with the table's identifying columns, the key and the extra columns.
    struct Ranking {
        let count: Int
        let key: Output
        let descending: Bool
        let extra: [Output]
    }

    /// `show ITEMS` or `show *`, with `order by` and `limit`.
    struct Listing {
        let columns: [Output]
        let order: [(key: SortKey, descending: Bool)]
        let limit: Int?
    }

    /// What a listing sorts by: one of its columns (named in `order by`), or another
    /// expression of the row.
    enum SortKey {
        case column(Int)
        case expression(Output)
    }

    /// Aggregates over groups: `avg clv, count by region, tier`. The items are expressions
    /// of the aggregates' values (`.aggregate(i)` is `aggregates[i]` for the group).
    struct Summary {
        let groups: [Output]
        /// For each group, the order of its values when its definition lists them (`levels`).
        let levels: [[String]?]
        let aggregates: [AggregateCall]
        let items: [Output]
        let order: [(key: GroupSortKey, descending: Bool)]
        let limit: Int?
    }

    /// What a summary sorts by: a listed item, a group, or another expression of aggregates.
    enum GroupSortKey {
        case item(Int)
        case group(Int)
        case expression(Output)
    }
}

extension BoundQuery.Form {
    /// cohort and the tables by period count the orders they leave out after the as-of date.
    var writesOwnAsOfNote: Bool {
        switch self {
        case .cohort, .periods: true
        default: false
        }
    }
}
