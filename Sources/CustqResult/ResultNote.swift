/// A fact about a result that the user should see under it, as data (CustqRender words it).
public enum ResultNote: Sendable, Equatable {
    /// The date `today()` and every customer figure count to, where it comes from, and how
    /// many orders dated after an `.asof` date were left out.
    case asOf(day: Int32, source: AsOfSource, ordersLeftOut: Int)
    /// Rows with no value of `what` (a histogram's values, a group's key), left out.
    case rowsWithoutValue(count: Int, what: String)
    /// A cohort table: how many customers, grouped by the period of their first order.
    case cohorts(customers: Int, period: String)
    /// A retention table by period: how its rates are counted.
    case periodRetention(period: String)
    /// A growth table by period: what new customers and revenue count.
    case periodGrowth(period: String)
    /// A concentration table: the value, the customers with one, and those without (left out).
    case concentration(value: String, customers: Int, left: Int)
    /// Orders with no date in `column`, left out of a cohort table.
    case ordersWithoutDate(count: Int, column: String)
    /// A text compared with a column that the column never holds (`region = Nort`), with
    /// the value it most likely meant.
    case valueNotFound(column: String, value: String, closest: String?)
    /// Values a conversion (`date`, `number`, …) could not read: how many rows, and the
    /// first few values with their rows.
    case notConverted(function: String, rows: Int, examples: [UnreadValue])
    /// How `abc by VALUE` classed the customers: by `value`, largest first, ties by the
    /// key; A up to `aShare` % of the total, B up to `bShare` % (the definitions' formulas).
    case abcClasses(value: String, tieBreak: String, aShare: String, bShare: String)
    /// How a yes/no role was read from a column of values (`churned read from status:
    /// Churned is yes, Active/Paused is no`).
    case yesNoReading(name: String, column: String, yes: [String], no: [String])
    /// `date(x)` read written dates such as `example` (both orders possible) month first.
    case datesReadMonthFirst(example: String)
    /// `number(x)` read texts such as `example` with a decimal point: `point`, not `comma`.
    case numbersReadWithPoint(example: String, point: Double, comma: Double)
    /// The customer summary the models were fitted on: customers with a purchase up to the
    /// calibration end, those who bought again, the time unit, orders after the end left out.
    case purchaseSummary(customers: Int, repeatCustomers: Int, unit: String, calibrationEnd: Int32, ordersLeftOut: Int)
    /// A model fitted by maximum likelihood.
    case modelFit(ModelFitFacts)
    /// The correlation of purchase count and mean spend among repeat customers.
    case spendFrequencyCorrelation(Double)
    case modelWarning(ModelWarning)
    /// The holdout period after the calibration end: its length in the model's unit, the
    /// customers' repeat purchases in it and the model's expectation, and their correlation.
    case holdout(from: Int32, to: Int32, length: Double, unit: String, actual: Double, expected: Double, correlation: Double?)
    /// Where the tracking chart's holdout starts: the first day after the calibration end,
    /// and the week it falls in.
    case holdoutBegins(day: Int32, week: Int)
}
