import CustqDiagnostics
import CustqStore

/// What `.schema TABLE` prints: each column's name, type, null count and first value.
public enum SchemaReport {
    public static func render(_ table: Table) -> String {
        var grid = TextTable(headers: ["column", "type", "nulls", "example"], alignments: [.left, .left, .right, .left])
        for column in table.columns {
            grid.rows.append([column.name, column.type.displayName, NumberFormat.grouped(column.nullCount),
                              example(of: column)])
        }
        let rowWord = table.rowCount == 1 ? "row" : "rows"
        let columnWord = table.columns.count == 1 ? "column" : "columns"
        var header = "\(table.name): \(NumberFormat.grouped(table.rowCount)) \(rowWord), \(table.columns.count) \(columnWord)"
        if !table.source.isEmpty { header += " (from \(table.source))" }
        return header + "\n" + grid.render()
    }

    /// The first non-null value, as the user would type it.
    static func example(of column: Column) -> String {
        for row in 0..<column.count where !column.isNull(row) {
            return column.exactText(at: row) ?? ""
        }
        return "(all null)"
    }
}
