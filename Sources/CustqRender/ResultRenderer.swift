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
                              shaded: Range<Int>? = nil, colour: Bool = false) -> (text: String, hiddenColumns: Int) {
        let shaded = shaded ?? 0..<0
        let decimals = table.columns.enumerated().map { shaded.contains($0) ? 1 : PeopleText.decimals(for: $1, rows: rows) }
        var grid = TextTable(headers: table.columnNames, alignments: table.columns.map { alignment(of: $0) })
        grid.rows = rows.map { row in
            table.columns.enumerated().map {
                PeopleText.cell($1, row: row, nullText: shaded.contains($0) ? "" : nullText, decimals: decimals[$0])
            }
        }
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

    /// A 256-colour background for a percentage: pale for low values, deep blue for high,
    /// with text that stays readable on it.
    static func shade(_ percent: Double) -> String {
        let ramp = [231, 195, 159, 123, 117, 75, 33, 27, 20, 19]
        let step = max(0, min(ramp.count - 1, Int((percent / 100 * Double(ramp.count - 1)).rounded())))
        let text = step >= 6 ? 231 : 16
        return "\u{1B}[48;5;\(ramp[step])m\u{1B}[38;5;\(text)m"
    }

    static func alignment(of column: Column) -> TextTable.Alignment {
        switch column.type {
        case .integer, .decimal: .right
        default: .left
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
        var records: [String] = []
        for row in 0..<table.rowCount {
            let fields = table.columns.enumerated().map { index, column in
                keys[index] + (lines ? ":" : ": ") + JSONText.value(column, row: row)
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
        let decimals = table.columns.map { PeopleText.decimals(for: $0, rows: 0..<table.rowCount) }
        for row in 0..<table.rowCount {
            out += "| " + table.columns.enumerated().map {
                escape(PeopleText.cell($1, row: row, nullText: nullText, decimals: decimals[$0]))
            }.joined(separator: " | ") + " |\n"
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
