import Testing
@testable import CustqDiagnostics
import CustqText

@Suite struct DiagnosticTests {
    @Test func rendersFileLineColumnExcerptAndCaret() {
        let diagnostic = Diagnostic.error(
            "this row has 3 fields, expected 2 as in the header",
            at: .init(file: "t.csv", line: 3, column: 5, sourceLine: "1,2,3"),
            help: "quote fields")
        #expect(DiagnosticRenderer.render(diagnostic) == """
            t.csv:3:5: error: this row has 3 fields, expected 2 as in the header
                3 | 1,2,3
                  |     ^
              help: quote fields

            """)
    }

    @Test func caretAccountsForWideCharacters() {
        let diagnostic = Diagnostic.error("bad", at: .init(file: nil, line: nil, column: 4, sourceLine: "华东,x", length: 1))
        #expect(DiagnosticRenderer.render(diagnostic) == """
            error: bad
                 | 华东,x
                 |      ^

            """)
    }

    @Test func longLinesAreCutAroundTheCaret() {
        let line = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 300)
        let rendered = DiagnosticRenderer.render(.error("x", at: .init(file: "f", line: 1, column: 301, sourceLine: line)))
        let lines = rendered.split(separator: "\n")
        #expect(lines[1].count < 120)
        let caretColumn = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
        let xColumn = lines[1].firstIndex(of: "X").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
        #expect(caretColumn == xColumn)
    }

    @Test func displayWidthCountsCJKAsTwo() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("华东") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.pad("华", to: 4) == "华  ")
        #expect(DisplayWidth.truncate("华东华南", to: 5) == "华东…")
    }

    @Test func suggestsCloseWords() {
        // Two neighbouring letters swapped are one slip of the fingers, not two.
        #expect(EditDistance.between("tabels", "tables") == 1)
        #expect(EditDistance.between("regoin", "region") == 1)
        #expect(EditDistance.between("exti", "exit") == 1)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.closest(to: "tabels", in: ["schema", "tables", "load"]) == "tables")
        #expect(EditDistance.closest(to: "xyz", in: ["schema", "tables"]) == nil)
    }
}
