#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqDiagnostics
import CustqEngine
import CustqRender

extension Session {
    /// Writes a query's result in the current format: a table (or chart) with a footer for
    /// people, exact text for machines.
    func write(_ result: QueryResult) {
        guard format == .table else {
            emit(ResultRenderer.render(result.table, format: format))
            // Machine formats stay exact data; their notes (as-of date, rows left out) go to messages.
            for note in result.notes { console.writeError("note: " + note + "\n") }
            return
        }
        let width = terminalWidth ?? 80
        var shown = result.table.rowCount
        if let chart = result.chart {
            let bars = chart.bars.map { bar in
                (bar.label, bar.value, bar.value.map { value in
                    Int(exactly: value).map { chart.integral ? NumberFormat.grouped($0) : PeopleText.decimal(value) }
                        ?? PeopleText.decimal(value)
                } ?? nullText)
            }
            emit(ChartRenderer.render(title: chart.title, bars: bars, width: width))
        } else {
            if maxRows > 0 { shown = min(shown, maxRows) }
            let (text, hidden) = ResultRenderer.people(result.table, rows: 0..<shown, nullText: nullText, width: terminalWidth,
                                                       shaded: result.shadedColumns, colour: colour)
            emit(text)
            if hidden > 0 {
                emit("… \(hidden) more \(hidden == 1 ? "column" : "columns") (wider than the terminal; .format csv shows all)\n")
            }
            if shown < result.table.rowCount {
                emit("… \(NumberFormat.grouped(result.table.rowCount - shown)) more rows (.maxrows \(maxRows); .maxrows 0 shows all)\n")
            }
        }
        var footer = NumberFormat.grouped(result.table.rowCount) + (result.table.rowCount == 1 ? " row" : " rows")
        if shown < result.table.rowCount { footer += ", \(NumberFormat.grouped(shown)) shown" }
        if result.rowsMatched < result.rowsScanned {
            footer += " (\(NumberFormat.grouped(result.rowsMatched)) of \(NumberFormat.grouped(result.rowsScanned)) rows matched)"
        }
        emit(footer + "\n")
        for note in result.notes { emit("note: " + note + "\n") }
    }

    /// Whether results may be coloured: a terminal, not a file, and NO_COLOR unset.
    var colour: Bool {
        terminalWidth != nil && outputFile == nil && getenv("NO_COLOR") == nil
    }
}
