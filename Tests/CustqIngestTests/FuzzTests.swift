import Foundation
import Testing
import CustqDiagnostics
import CustqIngest
import CustqStore

/// Thousands of random and mutated inputs: each must load or give a diagnostic, never
/// crash or hang, and a loaded table must be consistent.
@Suite struct FuzzTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let csvSeed = Array(#"""
        id,name,region,revenue,signup,active,note
        1,"Acme, Inc.",华东,"1,200.50",2024-01-05,true,"said ""hi"""
        2,Bolt,North,300,2024/02/29,no,"two
        lines"
        3,,South,-1.5e3,2024-03-01T10:00:00Z,yes,
        """#.utf8)

    static let jsonSeed = Array("""
        [{"id": 1, "name": "Acme \\"A\\"", "tags": ["a", {"b": null}], "score": 9.5, "d": "2024-01-05"},
         {"id": 2, "name": "华东\\u534e", "score": -7e2, "ok": true, "d": "2024-01-06T10:00:00Z"}]
        """.utf8)

    /// Interesting bytes for CSV and JSON parsers.
    static let alphabet: [UInt8] = Array(",;\t|\"\n\r{}[]:\\ -.0123456789eEtrufalsn".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0xE5, 0x8D]

    func mutate(_ seed: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + random.below(6)) {
            switch random.below(5) {
            case 0 where !bytes.isEmpty:
                bytes.remove(at: random.below(bytes.count))
            case 1:
                bytes.insert(Self.alphabet[random.below(Self.alphabet.count)], at: random.below(bytes.count + 1))
            case 2 where !bytes.isEmpty:
                bytes[random.below(bytes.count)] = Self.alphabet[random.below(Self.alphabet.count)]
            case 3 where !bytes.isEmpty:
                bytes.removeSubrange(random.below(bytes.count)...)
            default:
                let start = random.below(bytes.count + 1)
                let end = min(bytes.count, start + random.below(16))
                bytes.insert(contentsOf: bytes[start..<end], at: random.below(bytes.count + 1))
            }
        }
        return bytes
    }

    func check(_ bytes: [UInt8], name: String, lenient: Bool) {
        var options = LoadOptions()
        options.lenient = lenient
        do {
            let result = try DataLoader.load(contents: bytes, path: name, options: options)
            for column in result.table.columns {
                #expect(column.count == result.table.rowCount)
                #expect(column.validity.count == result.table.rowCount)
            }
        } catch {
            #expect(!error.message.isEmpty)
            #expect(!DiagnosticRenderer.render(error).isEmpty)
        }
    }

    @Test func mutatedCSVNeverCrashes() {
        var random = Random(state: 1)
        for i in 0..<3000 { check(mutate(Self.csvSeed, &random), name: "f.csv", lenient: i % 2 == 0) }
    }

    @Test func mutatedJSONNeverCrashes() {
        var random = Random(state: 2)
        for i in 0..<3000 { check(mutate(Self.jsonSeed, &random), name: "f.json", lenient: i % 2 == 0) }
    }

    static let ndjsonSeed = Array("""
        {"id": 1, "name": "Acme \\"A\\"", "score": 9.5, "d": "2024-01-05", "ok": true}
        {"id": 2, "name": "华东", "score": -7e2, "tags": [1, {"b": null}]}

        {"id": 3, "score": null, "d": "2024-01-06T10:00:00Z", "n": {"x": 1}}
        """.utf8)

    @Test func mutatedNDJSONNeverCrashes() {
        var random = Random(state: 6)
        for i in 0..<3000 { check(mutate(Self.ndjsonSeed, &random), name: "f.ndjson", lenient: i % 2 == 0) }
    }

    /// The table two loads agree on: the same columns, types and values.
    func expectSameTable(_ a: Table, _ b: Table, _ context: String) {
        #expect(a.types == b.types, "\(context)")
        #expect(a.rowCount == b.rowCount, "\(context)")
        if a.types == b.types { #expect(a.cells == b.cells, "\(context)") }
    }

    /// A lenient NDJSON load is the strict load of the lines it kept: a skipped line takes
    /// no part in the columns, their types or their values.
    @Test func lenientNDJSONIsTheFileWithoutItsSkippedLines() throws {
        var random = Random(state: 7)
        var compared = 0
        for _ in 0..<3000 {
            let bytes = mutate(Self.ndjsonSeed, &random)
            // Stated UTF-8: the lines kept are compared with the file, so the encoding must
            // not be decided again from what is left (a mutated file can look like GB18030).
            var options = LoadOptions()
            options.lenient = true
            options.encoding = "utf-8"
            guard let lenient = try? DataLoader.load(contents: bytes, path: "f.ndjson", options: options),
                  !lenient.skippedLines.isEmpty else { continue }
            let skipped = Set(lenient.skippedLines)
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let kept = lines.enumerated().filter { !skipped.contains($0.offset + 1) }.map { Array($0.element) }
            let text = String(decoding: bytes, as: UTF8.self)
            guard !kept.allSatisfy({ $0.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 } }) else { continue }
            do {
                var utf8 = LoadOptions()
                utf8.encoding = "utf-8"
                let strict = try DataLoader.load(contents: Array(kept.joined(separator: [0x0A])), path: "f.ndjson", options: utf8)
                expectSameTable(lenient.table, strict.table, text)
                compared += 1
            } catch {
                Issue.record("the lines a lenient load kept do not load: \(DiagnosticRenderer.render(error))\n\(text)")
            }
        }
        #expect(compared > 300)
    }

    /// The same for CSV: well-formed rows of mixed kinds with bad rows among them (a field
    /// too many or too few, text after a closing quote, a byte that is not UTF-8, a value
    /// not of a declared type). The lenient load skips exactly the bad rows' lines and
    /// equals the strict load of the good rows.
    @Test func lenientCSVIsTheFileWithoutItsBadRows() throws {
        var random = Random(state: 8)
        let kinds = ["17", "-3", "2.5", "2024-01-31", "true", "N/A", "", "华东", "\"1,200\"", "\"two\nlines\""]
        for _ in 0..<1500 {
            let columns = 1 + random.below(4), declare = random.below(3) == 0
            let header = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            var all = header, good = header
            var line = 2
            var badLines: [Int] = []
            for _ in 0..<(1 + random.below(30)) {
                var cells = (0..<columns).map { _ in kinds[random.below(kinds.count)] }
                if declare { cells[0] = String(random.below(100)) }
                if cells.allSatisfy(\.isEmpty) && columns > 1 { cells[0] = "0" }
                let row = cells.joined(separator: ",") + "\n"
                if random.below(4) == 0 {
                    let rest = String(repeating: ",1", count: columns - 1) + "\n"
                    var bads = ["x," + row, "\"ab\"c" + rest, "\u{1}" + rest]   // U+0001 stands for 0xFF (below)
                    if columns > 1 { bads.append((cells[0].isEmpty ? "1" : cells[0]) + "\n") }   // a blank line is no row
                    if declare { bads.append("oops" + rest) }
                    let bad = bads[random.below(bads.count)]
                    all += bad
                    badLines.append(line)
                    line += bad.filter { $0 == "\n" }.count
                }
                all += row
                good += row
                line += row.filter { $0 == "\n" }.count
            }
            // A 0xFF byte where the text says U+0001.
            let bytes = Array(all.utf8).map { $0 == 0x01 ? 0xFF : $0 }
            var options = LoadOptions()
            if declare { options.columnTypes = ["c0": .integer] }
            let strict = try DataLoader.load(contents: Array(good.utf8), path: "t.csv", options: options)
            options.lenient = true
            let lenient = try DataLoader.load(contents: bytes, path: "t.csv", options: options)
            #expect(lenient.skippedLines == badLines, "\(all)")
            expectSameTable(lenient.table, strict.table, all)
        }
    }

    /// Well-formed files whose columns mix kinds in random orders (numbers, dates, text,
    /// blanks): every row loads, and a column that ends up text keeps every original value.
    /// The file loaded on one core and on two (forced, whatever its size).
    func loadOnOneAndTwoCores(_ bytes: [UInt8], path: String) -> (Result<LoadResult, Diagnostic>, Result<LoadResult, Diagnostic>) {
        var one = LoadOptions(), two = LoadOptions()
        one.twoCoresFrom = nil
        two.twoCoresFrom = 0
        return (Result { () throws(Diagnostic) in try DataLoader.load(contents: bytes, path: path, options: one) },
                Result { () throws(Diagnostic) in try DataLoader.load(contents: bytes, path: path, options: two) })
    }

    /// Reading on two cores (each thread fills half the columns) must give exactly what one
    /// core gives: the same columns, types, warnings, and the same error for a bad file.
    @Test func twoCoresReadWhatOneCoreReads() {
        var random = Random(state: 11)
        let kinds = ["17", "-3", "2.5", "2024-01-31", "2024-01-31T10:00:00", "true", "N/A", "", "华东", "\"1,200\"", "\"two\nlines\""]
        var inputs: [[UInt8]] = (0..<400).map { _ in
            let rows = 1 + random.below(60), columns = 1 + random.below(5)
            var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<rows { text += (0..<columns).map { _ in kinds[random.below(kinds.count)] }.joined(separator: ",") + "\n" }
            return Array(text.utf8)
        }
        inputs += (0..<1500).map { _ in mutate(Self.csvSeed, &random) }
        for bytes in inputs {
            let (single, double) = loadOnOneAndTwoCores(bytes, path: "t.csv")
            switch (single, double) {
            case (.success(let a), .success(let b)):
                #expect(a.table.columns == b.table.columns, "\(String(decoding: bytes, as: UTF8.self))")
                #expect(a.table.rowCount == b.table.rowCount)
                #expect(a.warnings.map(DiagnosticRenderer.render) == b.warnings.map(DiagnosticRenderer.render))
            case (.failure(let a), .failure(let b)):
                #expect(DiagnosticRenderer.render(a) == DiagnosticRenderer.render(b))
            default:
                Issue.record("one core and two cores disagree on \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    /// The same for NDJSON read in two halves: equal values, kinds, warnings and errors,
    /// whether or not the halves agree (when they do not, the file is read on one core).
    @Test func twoCoresReadNDJSONAsOneCoreDoes() {
        var random = Random(state: 12)
        let values = ["17", "-3", "2.5", "\"2024-01-31\"", "true", "null", "\"华东\"", "\"N/A\"", "[1, {\"a\": 2}]", "{\"b\": \"c\"}"]
        var inputs: [[UInt8]] = (0..<600).map { _ in
            let keys = ["id", "name", "score", "when", "ok"].prefix(1 + random.below(5))
            var text = ""
            for _ in 0..<(1 + random.below(50)) {
                let fields = keys.filter { _ in random.below(6) > 0 }.map { "\"\($0)\": \(values[random.below(values.count)])" }
                text += "{" + fields.joined(separator: ", ") + "}" + (random.below(8) == 0 ? "\n\n" : "\n")
            }
            return Array(text.utf8)
        }
        let seed = Array("{\"id\": 1, \"name\": \"Acme\", \"score\": 9.5}\n{\"id\": 2, \"name\": \"华东\", \"score\": -7e2, \"ok\": true}\n{\"id\": 3, \"tags\": [1, 2]}\n".utf8)
        inputs += (0..<1500).map { _ in mutate(seed, &random) }
        for bytes in inputs {
            let (single, double) = loadOnOneAndTwoCores(bytes, path: "t.json")
            let text = String(decoding: bytes, as: UTF8.self)
            switch (single, double) {
            case (.success(let a), .success(let b)):
                #expect(a.table.rowCount == b.table.rowCount, "\(text)")
                #expect(a.table.columnNames == b.table.columnNames, "\(text)")
                for (x, y) in zip(a.table.columns, b.table.columns) {
                    #expect(x.type == y.type, "\(text)")
                    #expect(a.table.values(x.name) == b.table.values(y.name), "\(text)")
                }
                #expect(a.warnings.map(DiagnosticRenderer.render) == b.warnings.map(DiagnosticRenderer.render))
            case (.failure(let a), .failure(let b)):
                #expect(DiagnosticRenderer.render(a) == DiagnosticRenderer.render(b))
            default:
                Issue.record("one core and two cores disagree on \(text)")
            }
        }
    }

    @Test func columnsMixingKindsLoadEveryValue() throws {
        var random = Random(state: 4)
        let kinds = ["17", "-3", "2.5", "1e3", "2024-01-31", "2024-01-31T10:00:00", "true", "no", "N/A", "0012", "", "华东", "\"1,200\""]
        for _ in 0..<1500 {
            let rows = 1 + random.below(40), columns = 1 + random.below(4)
            var cells: [[String]] = []
            var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
            for _ in 0..<rows {
                let row = (0..<columns).map { _ in kinds[random.below(kinds.count)] }
                cells.append(row)
                text += row.joined(separator: ",") + "\n"
            }
            // A row of only blanks would be a blank line (skipped): keep one non-blank cell.
            guard cells.allSatisfy({ $0.contains { !$0.isEmpty } }) else { continue }
            let result = try load(text)
            #expect(result.table.rowCount == rows)
            for (index, column) in result.table.columns.enumerated() where column.type == .string {
                let expected = cells.map { $0[index].isEmpty ? nil : $0[index].replacingOccurrences(of: "\"", with: "") }
                #expect(result.table.values(column.name) == expected, "\(text)")
            }
        }
    }

    /// The same for NDJSON: values of mixed kinds, missing keys and nulls in random orders.
    @Test func jsonKeysMixingKindsLoadEveryValue() throws {
        var random = Random(state: 5)
        // (JSON text, the text a string column keeps, or nil for null/missing)
        let kinds: [(String, String?)] = [("17", "17"), ("-3", "-3"), ("2.50", "2.50"), ("\"2024-01-31\"", "2024-01-31"),
                                          ("true", "true"), ("\"N/A\"", "N/A"), ("null", nil), ("[1, 2]", "[1, 2]"),
                                          ("\"华东\"", "华东"), ("\"a\\\"b\"", "a\"b")]
        for _ in 0..<1500 {
            let rows = 1 + random.below(30), keys = 1 + random.below(4)
            var expected = [[String?]](repeating: [], count: keys)
            var text = ""
            for _ in 0..<rows {
                var fields: [String] = []
                for key in 0..<keys {
                    if random.below(6) == 0 {
                        expected[key].append(nil)   // key missing from this record
                        continue
                    }
                    let (json, kept) = kinds[random.below(kinds.count)]
                    fields.append("\"k\(key)\": \(json)")
                    expected[key].append(kept)
                }
                text += "{" + fields.joined(separator: ", ") + "}\n"
            }
            let result = try load(text, name: "t.ndjson")
            #expect(result.table.rowCount == rows)
            for column in result.table.columns where column.type == .string {
                let key = Int(column.name.dropFirst())!
                #expect(result.table.values(column.name) == expected[key], "\(text)")
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = Random(state: 3)
        for i in 0..<2000 {
            let length = random.below(200)
            let bytes = (0..<length).map { _ in Self.alphabet[random.below(Self.alphabet.count)] }
            check(bytes, name: i % 2 == 0 ? "r.csv" : "r.json", lenient: i % 3 == 0)
            let raw = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            check(raw, name: "raw.dat", lenient: false)
        }
    }
}
