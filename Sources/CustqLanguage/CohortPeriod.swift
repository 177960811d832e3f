/// A query: its form plus the clauses that may follow the head in any order.
/// The period a cohort table groups orders by.
public enum CohortPeriod: String, Sendable, Equatable, CaseIterable {
    case month, quarter, year
}
