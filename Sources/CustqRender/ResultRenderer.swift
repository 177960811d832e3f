import CustqDiagnostics
import CustqStore

/// Writes a result table in one of the output formats.
public enum ResultRenderer {
    public static func render(_ table: Table, format: OutputFormat, nullText: String = "NULL") -> String {
        switch format {
        case .table: return people(table, nullText: nullText)
        case .csv: return delimited(table, separator: ",")
        case .tsv: return delimited(table, separator: "\t")
        case .json: return json(table, lines: false)
        case .ndjson: return json(table, lines: true)
        case .markdown: return markdown(table, nullText: nullText)
        }
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
        if table.columns.contains(where: { $0.unit == .statisticValue }) {
            return rows.map { StatisticsText.cells(table, row: $0, nullText: nullText) }
        }
        let decimals = table.columns.enumerated().map { shaded.contains($0) ? 1 : PeopleText.decimals(for: $1, rows: rows) }
        return rows.map { row in
            table.columns.enumerated().map {
                PeopleText.cell($1, row: row, nullText: shaded.contains($0) ? "" : nullText, decimals: decimals[$0])
            }
        }
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

    static func delimited(_ table: Table, separator: Character) -> String {
        var out = table.columnNames.map { field($0, separator: separator) }.joined(separator: String(separator)) + "\n"
        for row in 0..<table.rowCount {
            out += table.columns.map { field($0.exactText(at: row) ?? "", separator: separator) }
                .joined(separator: String(separator)) + "\n"
        }
        return out
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

    static func json(_ table: Table, lines: Bool) -> String {
        let keys = table.columnNames.map(JSONText.string)
        let typeColumn = table.columns.firstIndex { $0.unit == .statisticType }
        var records: [String] = []
        for row in 0..<table.rowCount {
            // In a statistics table, the min and max of a numeric column are numbers.
            let numericRow = typeColumn.map { StatisticsText.isNumeric(table.columns[$0].exactText(at: row)) } ?? false
            let fields = table.columns.enumerated().map { index, column in
                let value = numericRow && column.unit == .statisticValue && column.type == .string
                    ? (column.exactText(at: row) ?? "null") : JSONText.value(column, row: row)
                return keys[index] + (lines ? ":" : ": ") + value
            }
            records.append("{" + fields.joined(separator: lines ? "," : ", ") + "}")
        }
        if lines { return records.map { $0 + "\n" }.joined() }
        if records.isEmpty { return "[]\n" }
        return "[\n" + records.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
    }

    // MARK: Markdown

    static func markdown(_ table: Table, nullText: String) -> String {
        func escape(_ text: String) -> String {
            DiagnosticRenderer.singleLine(text).replacingPipes
        }
        var out = "| " + table.columnNames.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { alignment(of: $0) == .right ? " ---: |" : " --- |" }.joined() + "\n"
        for row in cells(table, rows: 0..<table.rowCount, nullText: nullText, shaded: 0..<0) {
            out += "| " + row.map(escape).joined(separator: " | ") + " |\n"
        }
        // A blank line ends the table, so results written one after another stay apart.
        return out + "\n"
    }
}

private extension String {
    var replacingPipes: String {
        var out = ""
        for c in self { if c == "|" { out += "\\|" } else { out.append(c) } }
        return out
    }
}

/// JSON text for values.
enum JSONText {
    static func string(_ text: String) -> String {
        JSONString.quoted(text)
    }

    static func value(_ column: Column, row: Int) -> String {
        guard let text = column.exactText(at: row) else { return "null" }
        switch column.values {
        case .integer, .boolean: return text
        case .decimal(let v): return v[row].isFinite ? text : "null"
        default: return string(text)
        }
    }
}
