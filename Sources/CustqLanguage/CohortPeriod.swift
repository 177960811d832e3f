/// The period a cohort table groups orders by.
public enum CohortPeriod: String, Sendable, Equatable, CaseIterable {
    case month, quarter, year
}
