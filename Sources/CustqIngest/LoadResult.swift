import CustqDiagnostics
import CustqStore

/// A loaded table and what the user should be told about how it was read.
public struct LoadResult: Sendable {
    public var table: Table
    public var format: LoadOptions.Format
    /// Non-fatal findings: renamed headers, columns that mixed types.
    public var warnings: [Diagnostic]
    /// Lines (1-based, where each skipped record starts) skipped by a lenient load.
    public var skippedLines: [Int]
    /// What custq chose where the file left a choice open (is `1/2/2024` January or
    /// February?), each with how to choose otherwise: said when the table is loaded.
    public var choices: [String] = []
    /// Warnings that a column mixes kinds of values, by column: given only when the column
    /// stays text once its values are read again as dates, money and the like.
    var mixedKinds: [String: Diagnostic] = [:]
    /// The CSV delimiter the file was read with (a `;` file writes decimals with a comma).
    var delimiter: UInt8?

    init(table: Table, format: LoadOptions.Format, warnings: [Diagnostic], skippedLines: [Int],
         mixedKinds: [String: Diagnostic] = [:]) {
        self.table = table
        self.format = format
        self.warnings = warnings
        self.skippedLines = skippedLines
        self.mixedKinds = mixedKinds
    }

    /// One line for the user: "skipped 2 bad rows (lines 4, 17)"; nil when nothing was skipped.
    public var skippedSummary: String? {
        guard !skippedLines.isEmpty else { return nil }
        let shown = skippedLines.prefix(20).map(String.init).joined(separator: ", ")
        let more = skippedLines.count > 20 ? ", and \(skippedLines.count - 20) more" : ""
        let noun = skippedLines.count == 1 ? "row" : "rows"
        let lineWord = skippedLines.count == 1 ? "line" : "lines"
        return "skipped \(skippedLines.count) bad \(noun) (\(lineWord) \(shown)\(more))"
    }
}
