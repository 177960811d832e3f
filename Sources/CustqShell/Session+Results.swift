import CustqEngine
import CustqRender

extension Session {
    /// Writes a query's result in the current format: a table (or chart) with a footer for
    /// people, exact text for machines.
    func write(_ result: QueryResult) {
        guard format == .table else {
            emit(ResultRenderer.render(result.table, format: format))
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
            emit(ResultRenderer.people(result.table, rows: 0..<shown, nullText: nullText, width: terminalWidth))
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
}
