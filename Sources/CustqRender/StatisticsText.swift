import CustqStore
import CustqText

/// The cells of a statistics table (describe) as people read them: each row describes one
/// column, so its numbers are formatted together, in that column's terms.
enum StatisticsText {
    static func isNumeric(_ type: String?) -> Bool { type == "integer" || type == "decimal" }

    /// One row's cells. In a row about a numeric column, min, quartiles and max share their
    /// decimals (none for whole numbers: an integer column's median of 7 is `7`), and the mean
    /// and spread take as many as they need; other cells are shown as in any table.
    static func cells(_ table: Table, row: Int, nullText: String) -> [String] {
        let typeColumn = table.columns.firstIndex { $0.unit == .statisticType }
        let type = typeColumn.flatMap { table.columns[$0].exactText(at: row) }
        guard isNumeric(type) else {
            return table.columns.map { PeopleText.cell($0, row: row, nullText: nullText, decimals: 2) }
        }
        func number(_ column: Column) -> Double? {
            guard !column.isNull(row) else { return nil }
            switch column.values {
            case .decimal(let v): return v[row]
            case .integer(let v): return Double(v[row])
            case .string: return column.exactText(at: row).flatMap(Double.init)
            default: return nil
            }
        }
        let values = table.columns.filter { $0.unit == .statisticValue }.compactMap(number)
        let moments = table.columns.filter { $0.unit == .statisticMoment }.compactMap(number)
        let valueDecimals = PeopleText.decimals(for: values, minimum: type == "integer" ? 0 : 1)
        let momentDecimals = max(valueDecimals, PeopleText.decimals(for: moments, minimum: 2))
        return table.columns.map { column in
            if column.isNull(row) { return nullText }
            switch column.unit {
            case .statisticValue, .statisticMoment:
                let decimals = column.unit == .statisticValue ? valueDecimals : momentDecimals
                if case .string = column.values, type == "integer", let text = column.exactText(at: row),
                   let whole = Int(text) {
                    return NumberFormat.grouped(whole)   // exact, however large
                }
                guard let x = number(column) else { return PeopleText.cell(column, row: row, nullText: nullText) }
                return PeopleText.fixed(x, decimals: decimals)
            default:
                return PeopleText.cell(column, row: row, nullText: nullText, decimals: 2)
            }
        }
    }
}
