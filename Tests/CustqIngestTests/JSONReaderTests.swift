import Testing
import CustqIngest
import CustqStore

@Suite struct JSONReaderTests {
    @Test func readsTopLevelArray() throws {
        let result = try load("""
            [
              {"id": 1, "name": "Acme", "score": 9.5, "active": true, "since": "2024-01-05"},
              {"id": 2, "name": "华东贸易", "score": 7, "active": false, "since": "2023-12-31"}
            ]
            """, name: "t.json")
        #expect(result.format == .json)
        #expect(result.table.types == ["id:integer", "name:string", "score:decimal", "active:boolean", "since:date"])
        #expect(result.table.cells == [["1", "Acme", "9.5", "true", "2024-01-05"],
                                       ["2", "华东贸易", "7.0", "false", "2023-12-31"]])
    }

    @Test func readsNDJSONDetectedByContent() throws {
        let result = try load("{\"a\": 1}\n{\"a\": 2}\r\n\n{\"a\": 3}", name: "events.log")
        #expect(result.format == .json)
        #expect(result.table.values("a") == ["1", "2", "3"])
    }

    @Test func keysAreTheUnionAndMissingKeysAreNull() throws {
        let result = try load("{\"a\": 1}\n{\"b\": \"x\"}\n{\"b\": \"y\", \"a\": 3}\n", name: "t.ndjson")
        #expect(result.table.columnNames == ["a", "b"])
        #expect(result.table.cells == [["1", nil], [nil, "x"], ["3", "y"]])
    }

    @Test func nestedValuesAreKeptAsJSONText() throws {
        let result = try load("[{\"id\": 1, \"tags\": [\"vip\", {\"since\": 2020}], \"meta\": {}}]", name: "t.json")
        #expect(result.table.values("tags") == ["[\"vip\", {\"since\": 2020}]"])
        #expect(result.table.values("meta") == ["{}"])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let result = try load(#"[{"s": "a\"b\\c\/d\ne\u00e9\u534e\ud83d\ude00"}]"#, name: "t.json")
        #expect(result.table.values("s") == ["a\"b\\c/d\neé华😀"])
    }

    @Test func nullsAndExplicitNull() throws {
        let result = try load("[{\"a\": null, \"b\": 1}, {\"a\": 2.5, \"b\": null}]", name: "t.json")
        #expect(result.table.cells == [[nil, "1"], ["2.5", nil]])
    }

    @Test func integersWidenToDecimalsSilently() throws {
        let result = try load("[{\"x\": 1}, {\"x\": 2.5}]", name: "t.json")
        #expect(result.table.types == ["x:decimal"])
        #expect(result.warnings.isEmpty)
    }

    @Test func mixedNumbersAndTextWidenToStringWithWarningKeepingText() throws {
        let result = try load("{\"x\": 1}\n{\"x\": 2.50}\n{\"x\": \"n/a\"}\n{\"x\": true}\n", name: "t.ndjson")
        #expect(result.table.types == ["x:string"])
        #expect(result.table.values("x") == ["1", "2.50", "n/a", "true"])
        #expect(result.warnings.map(\.message) == ["column 'x' mixes decimal values and text: loaded as string"])
        #expect(result.warnings.first?.location?.line == 3)
    }

    @Test func emptyArrayHasNoRecords() {
        #expect(loadError("[]", name: "t.json") == "error: 't.json' holds no records: expected at least one JSON object\n")
    }

    @Test func truncatedArray() {
        #expect(loadError("[{\"id\": 1}, {\"id\": 2", name: "t.json") == """
            t.json:1:21: error: invalid JSON: expected ',' or '}' after a value, found the end of the file
                1 | [{"id": 1}, {"id": 2
                  |                     ^

            """)
    }

    @Test func unterminatedString() {
        #expect(loadError("{\"id\": \"abc", name: "t.json") == """
            t.json:1:8: error: invalid JSON: expected a closing '"' for this string, found the end of the file
                1 | {"id": "abc
                  |        ^

            """)
    }

    @Test func recordsMustBeObjects() {
        #expect(loadError("[1, 2]", name: "t.json") == """
            t.json:1:2: error: expected a JSON object for each record, found '1'
                1 | [1, 2]
                  |  ^
              help: custq reads a top-level array of objects, or one object per line (NDJSON)

            """)
    }

    @Test func missingColonAfterKey() {
        #expect(loadError("{\"a\" 1}", name: "t.json") == """
            t.json:1:6: error: invalid JSON: expected ':' after a key, found '1'
                1 | {"a" 1}
                  |      ^

            """)
    }

    @Test func duplicateKeys() {
        #expect(loadError("{\"a\": 1, \"a\": 2}", name: "t.json") == """
            t.json:1:10: error: key 'a' appears twice in the same record
                1 | {"a": 1, "a": 2}
                  |          ^

            """)
    }

    @Test func invalidLiteralAndNumber() {
        #expect(loadError("{\"a\": tru}", name: "t.json")?.hasPrefix("t.json:1:7: error: invalid JSON: expected a value, found 't'") == true)
        #expect(loadError("{\"a\": 01}", name: "t.json")?.hasPrefix("t.json:1:7: error: invalid JSON: expected a value, found '0'") == true)
        #expect(loadError("{\"a\": 1.}", name: "t.json")?.hasPrefix("t.json:1:7: error: invalid JSON: expected a value, found '1'") == true)
    }

    @Test func trailingGarbageAfterArray() {
        #expect(loadError("[{\"a\": 1}] x", name: "t.json")?.hasPrefix(
            "t.json:1:12: error: invalid JSON: expected the end of the file after the closing ']', found 'x'") == true)
    }

    @Test func tooDeeplyNestedValueIsAnErrorNotACrash() {
        let deep = "[{\"a\": " + String(repeating: "[", count: 100_000) + "]}]"
        #expect(loadError(deep, name: "t.json")?.contains("JSON nested more than 512 levels deep") == true)
    }

    @Test func lenientNDJSONSkipsBadLines() throws {
        var options = LoadOptions()
        options.lenient = true
        let result = try load("{\"a\": 1, \"b\": 2}\n{\"a\": 2, \"b\": }\n{\"a\": 3} x\n{\"a\": 4}\n", name: "t.ndjson", options: options)
        #expect(result.table.cells == [["1", "2"], ["4", nil]])
        #expect(result.skippedLines == [2, 3])
    }

    @Test func typeOverrides() throws {
        var options = LoadOptions()
        options.columnTypes = ["id": .string]
        let result = try load("[{\"id\": 7}]", name: "t.json", options: options)
        #expect(result.table.types == ["id:string"])
        #expect(result.table.values("id") == ["7"])
    }
}
