import CustqStore
import CustqText

/// What `.schema TABLE` prints: each column's name, type, null count and first value.
public enum SchemaReport {
    public static func render(_ table: Table, width: Int? = nil) -> String {
        if let source = table.rowsElsewhere { return renderElsewhere(table, at: source.location, width: width) }
        let columns = table.columns
        func text(_ name: String, _ values: [String]) -> Column {
            Column(name: name, values: .string(StringColumn(storage: .plain(values: StringHeap(values)))),
                   validity: ValidityBitmap(count: values.count, allValid: true))
        }
        let hasNotes = columns.contains { !notes(of: $0).isEmpty }
        func report(withNotes: Bool) -> Table {
            Table(name: "schema", columns: [
                text("column", columns.map(\.name)),
                text("type", columns.map(\.type.displayName)),
                Column(name: "nulls", values: .integer(ValueBuffer(columns.map { Int64($0.nullCount) })),
                       validity: ValidityBitmap(count: columns.count, allValid: true)),
                text("example", columns.map(example)),
            ] + (withNotes ? [text("read as", columns.map(notes))] : []),
            rowCount: columns.count)
        }
        let rowWord = table.rowCount == 1 ? "row" : "rows"
        let columnWord = table.columns.count == 1 ? "column" : "columns"
        var header = "\(table.name): \(NumberFormat.grouped(table.rowCount)) \(rowWord), \(table.columns.count) \(columnWord)"
        if !table.source.isEmpty { header += " (from \(table.source))" }
        if !table.notes.isEmpty { header += "; " + table.notes.joined(separator: "; ") }
        // The notes beside the grid when they fit whole, else under it, one column a line.
        var notesFit = true
        if let width, hasNotes {
            let cells = [columns.map(\.name), columns.map(\.type.displayName), columns.map { NumberFormat.grouped($0.nullCount) },
                         columns.map(example), columns.map(notes)]
            let headers = ["column", "type", "nulls", "example", "read as"]
            let needed = zip(cells, headers).reduce(1) { total, pair in
                total + 3 + max(DisplayWidth.of(pair.1), pair.0.map(DisplayWidth.of).max() ?? 0)
            }
            notesFit = needed <= width && columns.allSatisfy { DisplayWidth.of(notes(of: $0)) <= Self.notesWidth }
        }
        let (grid, hidden) = ResultRenderer.people(report(withNotes: hasNotes && notesFit), rows: 0..<columns.count,
                                                   nullText: "NULL", width: width, maxColumnWidth: Self.notesWidth)
        var below = ""
        if hasNotes, !notesFit {
            for column in columns where !notes(of: column).isEmpty {
                below += Prose.wrap("  \(column.name): \(notes(of: column))", width: width, indent: "    ") + "\n"
            }
        }
        return Prose.wrap(header, width: width, indent: "  ") + "\n" + grid
            + (hidden > 0 ? "… \(Plural.count(hidden, "more column")) (wider than the terminal)\n" : "") + below
    }

    /// A database table: its columns and types as the catalog gives them, which are keys
    /// (a unique index on the column alone), and the names custq reads them under.
    static func renderElsewhere(_ table: Table, at location: String, width: Int?) -> String {
        let columns = table.withoutAddedColumns.columns
        let readAs = columns.map { column in
            table.columnAliases.filter { $0.value == column.name }.keys.sorted().map { "read as " + $0 }.joined(separator: ", ")
        }
        var cells = [ReportColumn.text("column", columns.map(\.name)),
                     ReportColumn.text("type", columns.map(\.type.displayName)),
                     ReportColumn.text("unique", columns.map { $0.declaredUnique == true ? "yes" : "" })]
        if readAs.contains(where: { !$0.isEmpty }) { cells.append(ReportColumn.text("custq name", readAs)) }
        let header = "\(table.name): \(Plural.count(columns.count, "column")) on \(location) (its rows stay there)"
        let (grid, _) = ResultRenderer.people(Table(name: "schema", columns: cells, rowCount: columns.count), rows: 0..<columns.count,
                                              nullText: "NULL", width: width, maxColumnWidth: Self.notesWidth)
        return Prose.wrap(header, width: width, indent: "  ") + "\n" + grid
    }

    /// The widest a cell of the grid may be (notes longer than this go under it).
    static let notesWidth = 60

    /// How the loader read the column when it had to decide, and what the file says it is
    /// (a survey's question): `money in ¥ (¥1,234.50)`.
    public static func notes(of column: Column) -> String {
        [column.reading, column.description.map { "described as: " + $0 }].compactMap { $0 }.joined(separator: "; ")
    }

    /// The first non-null value, as the user would type it.
    public static func example(of column: Column) -> String {
        for row in 0..<column.count where !column.isNull(row) {
            return column.exactText(at: row) ?? ""
        }
        return "(all null)"
    }
}
