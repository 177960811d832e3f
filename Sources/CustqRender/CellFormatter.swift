import CustqDiagnostics
import CustqStore

/// Formats the cells of a table a row at a time, with each column's decimals decided once
/// over the rows shown.
struct CellFormatter {
    let table: Table
    let nullText: String
    let shaded: Range<Int>
    let decimals: [Int?]
    let statistics: Bool

    init(_ table: Table, rows: Range<Int>, nullText: String, shaded: Range<Int>) {
        self.table = table
        self.nullText = nullText
        self.shaded = shaded
        statistics = table.columns.contains { $0.unit == .statisticValue }
        decimals = statistics ? [] : table.columns.enumerated().map {
            shaded.contains($0) ? 1 : PeopleText.decimals(for: $1, rows: rows)
        }
    }

    func cells(row: Int) -> [String] {
        if statistics { return StatisticsText.cells(table, row: row, nullText: nullText) }
        return table.columns.enumerated().map {
            PeopleText.cell($1, row: row, nullText: shaded.contains($0) ? "" : nullText, decimals: decimals[$0])
        }
    }
}
