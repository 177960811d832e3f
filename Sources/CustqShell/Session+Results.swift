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
    /// people, exact text for machines. Returns false when Ctrl-C stopped the printing.
    @discardableResult
    func write(_ result: QueryResult) -> Bool {
        guard format == .table else {
            let complete = ResultRenderer.stream(result.table, format: format, nullText: nullText) { piece in
                guard outputFailure == nil, interruptCheck?() != true else { return false }
                writeOut(piece)
                return outputFailure == nil
            }
            let nonFinite = ResultRenderer.nonFiniteCount(result.table)
            if nonFinite > 0 {
                message("note: \(Plural.count(nonFinite, "value")) \(nonFinite == 1 ? "is" : "are") infinite or not a number: written as null")
            }
            // Machine formats stay exact data; their notes (as-of date, rows left out) go to messages.
            for note in result.notes { message("note: " + note) }
            return complete
        }
        let width = self.width
        var shown = result.table.rowCount
        var text = ""
        if let chart = result.chart {
            let labels = chart.bins.map { ChartRenderer.binLabels($0, dates: chart.binsAreDates) } ?? chart.bars.map(\.label)
            let decimals = PeopleText.decimals(for: chart.bars.compactMap(\.value))
            let bars = zip(labels, chart.bars).map { label, bar in
                (label, bar.value, bar.value.map { value in
                    chart.integral ? Int(exactly: value).map(NumberFormat.grouped) ?? PeopleText.decimal(value)
                                   : PeopleText.fixed(value, decimals: decimals)
                } ?? nullText)
            }
            text += ChartRenderer.render(title: chart.title, bars: bars, width: width ?? 80)
        } else {
            if maxRows > 0 { shown = min(shown, maxRows) }
            let (table, hidden) = ResultRenderer.people(result.table, rows: 0..<shown, nullText: nullText, width: width,
                                                        shaded: result.shadedColumns, colour: colour)
            text += table
            if hidden > 0 {
                text += "… \(Plural.count(hidden, "more column")) (wider than the terminal; .format csv shows all)\n"
            }
            if shown < result.table.rowCount {
                text += "… \(Plural.count(result.table.rowCount - shown, "more row")) (.maxrows \(maxRows); .maxrows 0 shows all)\n"
            }
        }
        var footer = Plural.count(result.table.rowCount, "row")
        if shown < result.table.rowCount { footer += ", \(NumberFormat.grouped(shown)) shown" }
        if let matched = result.matched {
            footer += " (" + Self.describe(matched, result.rowsMatched, of: result.rowsScanned) + ")"
        } else if result.rowsMatched < result.rowsScanned {
            footer += " (\(NumberFormat.grouped(result.rowsMatched)) of \(Plural.count(result.rowsScanned, "row")) matched)"
        }
        text += footer + "\n"
        for note in result.notes { text += Prose.wrap("note: " + note, width: width, indent: "      ") + "\n" }
        guard emit(text) else {
            if outputFailure == nil { console.writeError("\ninterrupted: the rest of the result was not printed\n") }
            return false
        }
        return true
    }

    /// `1,923 of 2,000 customers have an RFM segment`: what a segment table's matched count is.
    static func describe(_ matched: MatchedRows, _ count: Int, of all: Int) -> String {
        let start = "\(NumberFormat.grouped(count)) of \(Plural.count(all, "customer")) "
        switch matched {
        case .customersWithSegment(let filtered):
            return start + (filtered ? "match and have an RFM segment" : (count == 1 ? "has" : "have") + " an RFM segment")
        case .customersWithValue(let value, let filtered):
            return start + (filtered ? "match and have" : count == 1 ? "has" : "have") + " a value of \(value)"
        }
    }

    /// Whether results may be coloured: a terminal, not a file, and NO_COLOR unset.
    var colour: Bool {
        width != nil && getenv("NO_COLOR") == nil
    }
}
