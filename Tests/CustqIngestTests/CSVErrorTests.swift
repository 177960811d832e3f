import Testing
@testable import CustqIngest
import CustqStore
import CustqDiagnostics

/// Bad input gives one clear error with file, line, column and what was expected.
@Suite struct CSVErrorTests {
    @Test func raggedRowWithTooFewFields() {
        #expect(loadError("id,name,tier\n1,Acme,A\n2,Bolt\n") == """
            t.csv:3:7: error: this row has 2 fields, expected 3 as in the header
                3 | 2,Bolt
                  |       ^
              help: quote fields that contain the delimiter, or load with --lenient to skip bad rows

            """)
    }

    @Test func raggedRowWithTooManyFieldsPointsAtTheExtraField() {
        #expect(loadError("id,name\n1,Acme, Inc.\n") == """
            t.csv:2:8: error: this row has 3 fields, expected 2 as in the header
                2 | 1,Acme, Inc.
                  |        ^
              help: quote fields that contain the delimiter, or load with --lenient to skip bad rows

            """)
    }

    @Test func unterminatedQuotePointsAtTheOpeningQuote() {
        #expect(loadError("id,name\n1,\"Acme\n2,Bolt\n") == """
            t.csv:2:3: error: quoted field is never closed: the file ends before its closing quote
                2 | 1,"Acme
                  |   ^
              help: a quote inside a quoted field is written twice ("")

            """)
    }

    @Test func textAfterClosingQuote() {
        #expect(loadError("id,name\n1,\"Acme\" Inc,x\n") == """
            t.csv:2:9: error: expected ',' or the end of the line after a closing quote, found ' '
                2 | 1,"Acme" Inc,x
                  |         ^
              help: a quote inside a quoted field is written twice ("")

            """)
    }

    @Test func invalidUTF8NamesLineAndColumn() {
        let bytes = Array("id,city\n1,Bost".utf8) + [0xFF] + Array("n\n".utf8)
        #expect(loadError(bytes: bytes) == """
            t.csv:2:7: error: invalid UTF-8: byte 0xFF does not start or continue a character
                2 | 1,Bost�n
                  |       ^
              help: custq reads UTF-8, and GB18030 or UTF-16 when the whole file is; name another encoding with --encoding (latin-1, windows-1252, big5, …)

            """)
    }

    @Test func gbkEncodedChineseIsReadAsGB18030() throws {
        // "华东" in GBK is BB AA B6 AB (two bytes per character): not UTF-8, clean GB18030.
        let bytes = Array("region\n".utf8) + [0xBB, 0xAA, 0xB6, 0xAB] + [0x0A]
        let result = try DataLoader.load(contents: bytes, path: "t.csv")
        #expect(result.table.values("region") == ["华东"])
        #expect(result.table.notes == ["read as GB18030 (the file is not UTF-8; --encoding NAME reads it otherwise)"])
        // Stated as UTF-8, the same bytes are an error at the first that is not.
        var options = LoadOptions()
        options.encoding = "utf-8"
        #expect(throws: Diagnostic.self) { try DataLoader.load(contents: bytes, path: "t.csv", options: options) }
    }

    @Test func emptyFile() {
        #expect(loadError("") == "error: 't.csv' is empty: there is nothing to load\n")
        #expect(loadError("\n\n") == "error: 't.csv' is empty: there is nothing to load\n")
    }

    @Test func headerOnlyFile() {
        #expect(loadError("id,name\n") == """
            error: 't.csv' has a header row but no data rows
              help: export the file again with its data, or check that the right file was named

            """)
    }

    @Test func missingFile() {
        #expect(throws: (any Error).self) { try DataLoader.load(path: "/nonexistent/customers.csv") }
        do {
            _ = try DataLoader.load(path: "/nonexistent/customers.csv")
        } catch {
            #expect(error.message == "cannot open '/nonexistent/customers.csv': no such file")
        }
    }

    @Test func directory() {
        do {
            _ = try DataLoader.load(path: "/tmp")
            Issue.record("a directory loaded")
        } catch {
            #expect(error.message == "'/tmp' is a directory, not a data file")
            #expect(error.help == "name a .csv, .tsv, .json or .ndjson file inside it")
        }
    }

    @Test func binaryFile() {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
        #expect(loadError(bytes: bytes, name: "logo.png") == """
            error: 'logo.png' is a PNG image, not CSV or JSON text
              help: custq reads CSV, TSV, JSON and NDJSON text files

            """)
        // A NUL byte inside a text file is an error at its place, as any byte that is not text.
        #expect(loadError("id,name\n1,a\u{0}b\n") == """
            t.csv:2:4: error: a NUL byte, which text never holds
                2 | 1,a\u{FFFD}b
                  |    ^
              help: the file may be damaged, or not text; --lenient skips the rows that hold one

            """)
    }

    @Test func declaredTypeMismatch() {
        var options = LoadOptions()
        options.columnTypes = ["score": .integer]
        #expect(loadError("id,score\n1,7\n2,seven\n", options: options) == """
            t.csv:3:3: error: 'seven' is not a valid integer for column 'score', which was declared integer
                3 | 2,seven
                  |   ^~~~~
              help: remove the type override for 'score' to infer its type, or fix the value

            """)
    }

    @Test func typeOverrideForUnknownColumn() {
        var options = LoadOptions()
        options.columnTypes = ["scroe": .integer]
        #expect(loadError("id,score\n1,7\n", options: options) == """
            error: --type names column 'scroe', which 't.csv' does not have
              note: its columns are: id, score

            """)
    }
}

/// `--lenient` skips bad rows and says which.
@Suite struct LenientCSVTests {
    var lenient: LoadOptions {
        var options = LoadOptions()
        options.lenient = true
        return options
    }

    @Test func skipsRaggedRowsAndReportsTheirLines() throws {
        let result = try load("id,name\n1,a\n2\n3,c\n4,d,extra\n5,e\n", options: lenient)
        #expect(result.table.values("id") == ["1", "3", "5"])
        #expect(result.skippedLines == [3, 5])
        #expect(result.skippedSummary == "skipped 2 bad rows (lines 3, 5)")
    }

    @Test func skipsRowsWithInvalidUTF8() throws {
        let bytes = Array("id,city\n1,Boston\n2,Bo".utf8) + [0xC3, 0x28] + Array("\n3,Austin\n".utf8)
        let result = try load(bytes: bytes, options: lenient)
        #expect(result.table.values("city") == ["Boston", "Austin"])
        #expect(result.skippedLines == [3])
    }

    @Test func skipsRowsWithTextAfterAClosingQuote() throws {
        let result = try load("id,name\n1,\"a\"x\n2,b\n", options: lenient)
        #expect(result.table.values("id") == ["2"])
        #expect(result.skippedLines == [2])
    }

    @Test func skipsRowsThatDoNotFitADeclaredTypeWithoutLeavingHalfRows() throws {
        var options = lenient
        options.columnTypes = ["score": .integer]
        let result = try load("name,score,city\nA,1,X\nB,two,Y\nC,3,Z\n", options: options)
        #expect(result.table.cells == [["A", "1", "X"], ["C", "3", "Z"]])
        #expect(result.skippedLines == [3])
    }

    @Test func skippedRowsStaySkippedWhenAColumnIsReadAgainAsText() throws {
        let result = try load("id,code\n1,10\n2,20,extra\n3,abc\n", options: lenient)
        #expect(result.table.cells == [["1", "10"], ["3", "abc"]])
        #expect(result.skippedLines == [3])
    }

    @Test func summaryListsAtMostTwentyLines() {
        let table = Table(name: "t", columns: [], rowCount: 0)
        let result = LoadResult(table: table, format: .csv, warnings: [], skippedLines: Array(1...25))
        #expect(result.skippedSummary == "skipped 25 bad rows (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, and 5 more)")
    }
}
