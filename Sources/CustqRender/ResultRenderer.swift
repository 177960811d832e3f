import CustqDiagnostics
import CustqStore

/// Writes a result table in one of the output formats.
public enum ResultRenderer {
    public static func render(_ table: Table, format: OutputFormat, nullText: String = "NULL") -> String {
        if format == .table { return people(table, nullText: nullText) }
        var out = ""
        _ = stream(table, format: format, nullText: nullText) { out += $0; return true }
        return out
    }

    /// Writes `table` in a machine format (or markdown) a piece of about 64 KB at a time, a
    /// row after another, so a large result needs no copy as text and its first rows come at
    /// once. `write` returns false to stop (Ctrl-C, a failed write); so does this, then.
    public static func stream(_ table: Table, format: OutputFormat, nullText: String = "NULL",
                              into write: (String) -> Bool) -> Bool {
        withoutActuallyEscaping(write) { write in streamed(table, format: format, nullText: nullText, write: write) }
    }

    private static func streamed(_ table: Table, format: OutputFormat, nullText: String,
                                 write: @escaping (String) -> Bool) -> Bool {
        var writer = ChunkWriter(write: write)
        switch format {
        case .table: writer.add(people(table, nullText: nullText))
        case .csv: delimited(table, separator: ",", into: &writer)
        case .tsv: delimited(table, separator: "\t", into: &writer)
        case .json: json(table, lines: false, into: &writer)
        case .ndjson: json(table, lines: true, into: &writer)
        case .markdown: markdown(table, nullText: nullText, into: &writer)
        }
        return writer.finish()
    }

    // MARK: For people

    static func people(_ table: Table, nullText: String) -> String {
        people(table, rows: 0..<table.rowCount, nullText: nullText, width: nil).text
    }

    /// A boxed table of `rows`, fitted to `width` terminal cells when given: text columns
    /// narrow, numbers are never cut, and columns that still do not fit are left off the
    /// right (their number is returned). `shaded`: columns of percentages shown with one
    /// decimal, blank when unknown, and on a colour terminal (`colour`) on a background that
    /// darkens with the value.
    public static func people(_ table: Table, rows: Range<Int>, nullText: String, width: Int?,
                              shaded: Range<Int>? = nil, colour: Bool = false,
                              maxColumnWidth: Int = 40) -> (text: String, hiddenColumns: Int) {
        let shaded = shaded ?? 0..<0
        var grid = TextTable(headers: table.columnNames, alignments: table.columns.map { alignment(of: $0) })
        grid.maxColumnWidth = maxColumnWidth
        grid.rows = cells(table, rows: rows, nullText: nullText, shaded: shaded)
        // A row's label (the first column) and dates are never cut; numbers never are either.
        grid.protectedColumns = Set([0] + table.columns.indices.filter {
            table.columns[$0].type == .date || table.columns[$0].type == .timestamp
        })
        var kept = table.columns.count
        if let width {
            kept = grid.columnsFitting(width)
            grid.headers = Array(grid.headers.prefix(kept))
            grid.alignments = Array(grid.alignments.prefix(kept))
            grid.rows = grid.rows.map { Array($0.prefix(kept)) }
        }
        if colour, !shaded.isEmpty {
            grid.styles = rows.map { row in
                (0..<kept).map { index in
                    guard shaded.contains(index), case .decimal(let values) = table.columns[index].values,
                          !table.columns[index].isNull(row) else { return nil }
                    return shade(values[row])
                }
            }
        }
        grid.totalWidth = width
        return (grid.render(), table.columns.count - kept)
    }

    /// The cells of `rows` as people read them (tables and markdown alike): each column's
    /// numbers with one number of decimals, a statistics table row by row, shaded
    /// percentages with one decimal and blank when unknown.
    static func cells(_ table: Table, rows: Range<Int>, nullText: String, shaded: Range<Int>) -> [[String]] {
        let formatter = CellFormatter(table, rows: rows, nullText: nullText, shaded: shaded)
        return rows.map(formatter.cells)
    }

    /// A 256-colour background for a percentage: pale for low values, deep blue for high,
    /// with text that stays readable on it.
    static func shade(_ percent: Double) -> String {
        let ramp = [231, 195, 159, 123, 117, 75, 33, 27, 20, 19]
        let step = max(0, min(ramp.count - 1, Int((percent / 100 * Double(ramp.count - 1)).rounded())))
        let text = step >= 6 ? 231 : 16
        return "\u{1B}[48;5;\(ramp[step])m\u{1B}[38;5;\(text)m"
    }

    static func alignment(of column: Column) -> TextTable.Alignment {
        if column.unit == .statisticValue || column.unit == .statisticMoment { return .right }
        switch column.type {
        case .integer, .decimal: return .right
        default: return .left
        }
    }

    // MARK: Delimited

    static func delimited(_ table: Table, separator: Character, into writer: inout ChunkWriter) {
        writer.add(table.columnNames.map { field($0, separator: separator) }.joined(separator: String(separator)) + "\n")
        for row in 0..<table.rowCount where writer.open {
            writer.add(table.columns.map { field(machineText($0, row: row) ?? "", separator: separator) }
                .joined(separator: String(separator)) + "\n")
        }
    }

    /// A value as the machine formats write it: exact text, and null (an empty field, JSON
    /// null) for an infinite or undefined number, which no format can carry the same way.
    static func machineText(_ column: Column, row: Int) -> String? {
        if case .decimal(let values) = column.values, !column.isNull(row), !values[row].isFinite { return nil }
        return column.exactText(at: row)
    }

    /// How many values of the table are infinite or not a number (written as null).
    public static func nonFiniteCount(_ table: Table) -> Int {
        table.columns.reduce(0) { total, column in
            guard case .decimal(let values) = column.values else { return total }
            return total + (0..<column.count).filter { !column.isNull($0) && !values[$0].isFinite }.count
        }
    }

    /// CSV quotes a field holding the separator, a quote or a line break (RFC 4180);
    /// TSV writes tabs and line breaks as \t and \n.
    static func field(_ text: String, separator: Character) -> String {
        if separator == "\t" {
            guard text.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" }) else { return text }
            var out = ""
            for c in text {
                switch c {
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\\": out += "\\\\"
                default: out.append(c)
                }
            }
            return out
        }
        guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for c in text {
            quoted.append(c)
            if c == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    // MARK: JSON

    static func json(_ table: Table, lines: Bool, into writer: inout ChunkWriter) {
        let keys = table.columnNames.map(JSONText.string)
        let typeColumn = table.columns.firstIndex { $0.unit == .statisticType }
        if !lines { writer.add(table.rowCount == 0 ? "[]\n" : "[\n") }
        for row in 0..<table.rowCount where writer.open {
            // In a statistics table, the min and max of a numeric column are numbers.
            let numericRow = typeColumn.map { StatisticsText.isNumeric(table.columns[$0].exactText(at: row)) } ?? false
            let fields = table.columns.enumerated().map { index, column in
                let value = numericRow && column.unit == .statisticValue && column.type == .string
                    ? (column.exactText(at: row) ?? "null") : JSONText.value(column, row: row)
                return keys[index] + (lines ? ":" : ": ") + value
            }
            let record = "{" + fields.joined(separator: lines ? "," : ", ") + "}"
            writer.add(lines ? record + "\n" : "  " + record + (row + 1 < table.rowCount ? ",\n" : "\n"))
        }
        if !lines, table.rowCount > 0 { writer.add("]\n") }
    }

    // MARK: Markdown

    static func markdown(_ table: Table, nullText: String, into writer: inout ChunkWriter) {
        func escape(_ text: String) -> String {
            DiagnosticRenderer.singleLine(text).replacingPipes
        }
        writer.add("| " + table.columnNames.map(escape).joined(separator: " | ") + " |\n")
        writer.add("|" + table.columns.map { alignment(of: $0) == .right ? " ---: |" : " --- |" }.joined() + "\n")
        let formatter = CellFormatter(table, rows: 0..<table.rowCount, nullText: nullText, shaded: 0..<0)
        for row in 0..<table.rowCount where writer.open {
            writer.add("| " + formatter.cells(row: row).map(escape).joined(separator: " | ") + " |\n")
        }
        // A blank line ends the table, so results written one after another stay apart.
        writer.add("\n")
    }
}

private extension String {
    var replacingPipes: String {
        var out = ""
        for c in self { if c == "|" { out += "\\|" } else { out.append(c) } }
        return out
    }
}
