#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqEngine
import CustqRender
import CustqResult
import CustqText

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
            for note in result.notes { message("note: " + ResultText.note(note)) }
            return complete
        }
        let width = self.width
        var shown = result.table.rowCount
        var text = ""
        if let chart = ResultText.chart(result, width: width ?? 80, nullText: nullText) {
            text += chart
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
        text += ResultText.footer(result, shown: shown) + "\n"
        for note in result.notes { text += Prose.wrap("note: " + ResultText.note(note), width: width, indent: "      ") + "\n" }
        guard emit(text) else {
            if outputFailure == nil { console.writeError("\ninterrupted: the rest of the result was not printed\n") }
            return false
        }
        return true
    }

    /// Whether results may be coloured: a terminal, not a file, and NO_COLOR unset.
    var colour: Bool {
        width != nil && getenv("NO_COLOR") == nil
    }
}
