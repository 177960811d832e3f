import Testing
import CustqRender
import CustqStore
import CustqText

@Suite struct TextTableTests {
    @Test func narrowTerminalsCutTextNeverNumbers() {
        // At their narrowest the columns take 10 (text, cut), 12 (every digit), 12 (the
        // header, cut) and 6 cells, plus 3 each and 1: 44 cells hold three, 30 two, 10 still
        // the first.
        var table = TextTable(headers: ["name", "revenue", "average recency", "orders"],
                              alignments: [.left, .right, .right, .right],
                              rows: [["Bright River Systems", "1,309,259.45", "812.69", "12"]])
        #expect(table.columnsFitting(44) == 3)
        #expect(table.columnsFitting(43) == 2)
        #expect(table.columnsFitting(30) == 2)
        #expect(table.columnsFitting(10) == 1)
        table = TextTable(headers: ["name", "revenue"], alignments: [.left, .right],
                          rows: [["Bright River Systems", "1,309,259.45"]])
        table.totalWidth = 29
        #expect(table.render() == """
            ┌────────────┬──────────────┐
            │ name       │ revenue      │
            ├────────────┼──────────────┤
            │ Bright Ri… │ 1,309,259.45 │
            └────────────┴──────────────┘

            """)
    }

    @Test func theFirstColumnAndDatesAreNeverCut() {
        // A row's label and a date keep every character; the text column between them narrows.
        var table = TextTable(headers: ["cohort", "note", "first order"], alignments: [.left, .left, .left],
                              rows: [["2018-Q1 North region", "a long comment about the cohort", "2018-01-03"]])
        table.protectedColumns = [0, 2]
        table.totalWidth = 50
        #expect(table.render() == """
            ┌──────────────────────┬────────────┬─────────────┐
            │ cohort               │ note       │ first order │
            ├──────────────────────┼────────────┼─────────────┤
            │ 2018-Q1 North region │ a long co… │ 2018-01-03  │
            └──────────────────────┴────────────┴─────────────┘

            """)
    }

    @Test func shadedPercentagesOnAColourTerminal() {
        // A cohort-style table: 100% on the deepest background with white text, 0% on the palest
        // with black, a null cell blank and unstyled; without colour, no escape codes at all.
        var unknown = ValidityBitmap()
        for valid in [true, true, false] { unknown.append(valid) }
        let table = Table(name: "cohort", columns: [
            Column(name: "cohort", values: .string(StringColumn(storage: .dictionary(codes: [0, 1, 2], values: StringHeap(["a", "b", "c"])))),
                   validity: ValidityBitmap(count: 3, allValid: true)),
            Column(name: "month 1", values: .decimal([100, 0, 0]), validity: unknown),
        ], rowCount: 3)
        let coloured = ResultRenderer.people(table, rows: 0..<3, nullText: "NULL", width: nil, shaded: 1..<2, colour: true).text
        #expect(coloured.contains("│ a      │\u{1B}[48;5;19m\u{1B}[38;5;231m   100.0 \u{1B}[0m│\n"))
        #expect(coloured.contains("│ b      │\u{1B}[48;5;231m\u{1B}[38;5;16m     0.0 \u{1B}[0m│\n"))
        #expect(coloured.contains("│ c      │         │\n"))
        let plain = ResultRenderer.people(table, rows: 0..<3, nullText: "NULL", width: nil, shaded: 1..<2, colour: false).text
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("│ a      │   100.0 │\n"))
    }

    @Test func alignsByDisplayWidthAndRightAlignsNumbers() {
        let table = TextTable(headers: ["region", "customers"], alignments: [.left, .right],
                              rows: [["华东", "1,204"], ["North", "87"]])
        #expect(table.render() == """
            ┌────────┬───────────┐
            │ region │ customers │
            ├────────┼───────────┤
            │ 华东   │     1,204 │
            │ North  │        87 │
            └────────┴───────────┘

            """)
    }

    @Test func cutsLongCellsAndShowsLineBreaks() {
        var table = TextTable(headers: ["comment"], rows: [["two\nlines"], [String(repeating: "x", count: 50)]])
        table.maxColumnWidth = 10
        #expect(table.render() == """
            ┌────────────┐
            │ comment    │
            ├────────────┤
            │ two↵lines  │
            │ xxxxxxxxx… │
            └────────────┘

            """)
    }

    @Test func groupsThousands() {
        #expect(NumberFormat.grouped(0) == "0")
        #expect(NumberFormat.grouped(999) == "999")
        #expect(NumberFormat.grouped(1000) == "1,000")
        #expect(NumberFormat.grouped(-1_234_567) == "-1,234,567")
    }

    @Test func exactValueText() {
        let valid = ValidityBitmap(count: 2, allValid: true)
        var nulls = ValidityBitmap()
        nulls.append(true)
        nulls.append(false)
        #expect(ValueText.exact(Column(name: "d", values: .decimal([3, 0.1]), validity: valid), row: 0) == "3.0")
        #expect(ValueText.exact(Column(name: "d", values: .decimal([3, 0.1]), validity: valid), row: 1) == "0.1")
        #expect(ValueText.exact(Column(name: "b", values: .boolean([true, false]), validity: nulls), row: 1) == nil)
        #expect(ValueText.exact(Column(name: "t", values: .date([19723, 0]), validity: valid), row: 0) == "2024-01-01")
    }

    @Test func schemaReport() {
        let valid = ValidityBitmap(count: 2, allValid: true)
        var nulls = ValidityBitmap()
        nulls.append(false)
        nulls.append(true)
        let strings = StringColumn(storage: .dictionary(codes: [0, 1], values: StringHeap(["", "华东"])))
        let table = Table(name: "t", columns: [
            Column(name: "id", values: .integer([1, 2]), validity: valid),
            Column(name: "region", values: .string(strings), validity: nulls),
        ], rowCount: 2)
        #expect(SchemaReport.render(table) == """
            t: 2 rows, 2 columns
            ┌────────┬─────────┬───────┬─────────┐
            │ column │ type    │ nulls │ example │
            ├────────┼─────────┼───────┼─────────┤
            │ id     │ integer │     0 │ 1       │
            │ region │ string  │     1 │ 华东    │
            └────────┴─────────┴───────┴─────────┘

            """)
    }
}
