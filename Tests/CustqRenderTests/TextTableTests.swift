import Testing
import CustqDiagnostics
import CustqRender
import CustqStore

@Suite struct TextTableTests {
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
