import CustqDiagnostics
import CustqText

/// Every message a data load can report, in one place so the wording stays consistent.
enum LoadErrors {
    static func cannotOpen(_ path: String, reason: String) -> Diagnostic {
        .error("cannot open '\(path)': \(reason)")
    }

    static func isDirectory(_ path: String) -> Diagnostic {
        .error("'\(path)' is a directory, not a data file",
               help: "name a .csv, .tsv, .json or .ndjson file inside it")
    }

    static func emptyFile(_ path: String) -> Diagnostic {
        .error("'\(path)' is empty: there is nothing to load")
    }

    static func numberOutOfRange(_ at: Diagnostic.Location, text: String) -> Diagnostic {
        .error("the number \(text) is out of range: numbers reach about ±1.8e308", at: at,
               help: "if it is an identifier, write it as a string in quotes")
    }

    static func interrupted(_ path: String) -> Diagnostic {
        .error("interrupted: '\(path)' was not loaded")
    }

    static func headerOnly(_ path: String) -> Diagnostic {
        .error("'\(path)' has a header row but no data rows",
               help: "export the file again with its data, or check that the right file was named")
    }

    static func noRecords(_ path: String) -> Diagnostic {
        .error("'\(path)' holds no records: expected at least one JSON object")
    }

    static func binary(_ path: String, kind: String) -> Diagnostic {
        .error("'\(path)' is \(kind), not CSV or JSON text", help: "custq reads CSV, TSV, JSON and NDJSON text files")
    }

    static func otherEncoding(_ path: String, encoding: String) -> Diagnostic {
        .error("'\(path)' is \(encoding) text; custq reads UTF-8",
               help: "convert it first, e.g. `iconv -f \(encoding.prefix { $0 != " " }) -t UTF-8 '\(path)' > converted.csv`")
    }

    static func badWorkbook(_ path: String, _ problem: String) -> Diagnostic {
        .error("'\(path)' \(problem)", help: "open it in Excel and save it again as .xlsx (or as CSV UTF-8)")
    }

    static func unknownSheet(_ path: String, sheet: String, sheets: [String]) -> Diagnostic {
        .error("'\(path)' has no sheet '\(sheet)'",
               help: "its sheets: " + sheets.map { "'\($0)'" }.joined(separator: ", ") + " (e.g. '\(path):\(sheets[0])' or --sheet '\(sheets[0])')")
    }

    static func unknownEncoding(_ name: String) -> Diagnostic {
        .error("unknown encoding '\(name)'",
               help: "e.g. --encoding gb18030, gbk, big5, utf-16, latin-1 or windows-1252 (`iconv -l` lists them all)")
    }

    /// Bytes at `offset` that are no character in `encoding`: the line and the byte within it.
    static func undecodable(_ source: SourceText, at offset: Int, encoding: String) -> Diagnostic {
        let bytes = source.bytes
        var line = 1, lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let shown = bytes[offset..<min(bytes.count, offset + 4)].map { "0x" + String($0, radix: 16, uppercase: true) }
        return .error("'\(source.path)' does not read as \(encoding): line \(line), byte \(offset - lineStart + 1) "
                      + "(\(shown.joined(separator: " "))) is no \(encoding) character",
                      help: "name the file's encoding with --encoding (utf-8, gb18030, big5, utf-16, latin-1, windows-1252, …)")
    }

    static func invalidUTF8(_ at: Diagnostic.Location, byte: UInt8) -> Diagnostic {
        if byte == 0 {
            return .error("a NUL byte, which text never holds", at: at,
                          help: "the file may be damaged, or not text; --lenient skips the rows that hold one")
        }
        return .error("invalid UTF-8: byte 0x\(String(byte, radix: 16, uppercase: true)) does not start or continue a character",
                      at: at,
                      help: "custq reads UTF-8, and GB18030 or UTF-16 when the whole file is; name another encoding with --encoding (latin-1, windows-1252, big5, …)")
    }

    static func streamTooLarge(_ path: String, limit: Int) -> Diagnostic {
        .error("'\(path)' goes on past \(limit >> 30) GB (half this machine's memory): custq stopped reading it",
               help: "is it the right file? a stream such as /dev/zero never ends")
    }

    static func changedWhileRead(_ path: String) -> Diagnostic {
        .error("'\(path)' changed while it was being read: nothing was loaded",
               help: "load it again once whatever writes it has finished")
    }

    static func raggedRow(_ at: Diagnostic.Location, found: Int, expected: Int) -> Diagnostic {
        .error("this row has \(found) field\(found == 1 ? "" : "s"), expected \(expected) as in the header",
               at: at,
               help: "quote fields that contain the delimiter, or load with --lenient to skip bad rows")
    }

    static func unterminatedQuote(_ at: Diagnostic.Location) -> Diagnostic {
        .error("quoted field is never closed: the file ends before its closing quote", at: at,
               help: "a quote inside a quoted field is written twice (\"\")")
    }

    static func textAfterClosingQuote(_ at: Diagnostic.Location, found: String, delimiter: String) -> Diagnostic {
        .error("expected \(delimiter) or the end of the line after a closing quote, found \(found)", at: at,
               help: "a quote inside a quoted field is written twice (\"\")")
    }

    static func notOfDeclaredType(_ at: Diagnostic.Location, value: String, column: String, type: String) -> Diagnostic {
        .error("'\(value)' is not a valid \(type) for column '\(column)', which was declared \(type)", at: at,
               help: "remove the type override for '\(column)' to infer its type, or fix the value")
    }

    static func unknownColumnOverride(_ path: String, column: String, columns: [String]) -> Diagnostic {
        .error("--type names column '\(column)', which '\(path)' does not have",
               notes: ["its columns are: " + columns.joined(separator: ", ")])
    }

    static func json(_ at: Diagnostic.Location, expected: String, found: String) -> Diagnostic {
        .error("invalid JSON: expected \(expected), found \(found)", at: at)
    }

    static func jsonNotObject(_ at: Diagnostic.Location, found: String) -> Diagnostic {
        .error("expected a JSON object for each record, found \(found)", at: at,
               help: "custq reads a top-level array of objects, or one object per line (NDJSON)")
    }

    static func duplicateKey(_ at: Diagnostic.Location, key: String) -> Diagnostic {
        .error("key '\(key)' appears twice in the same record", at: at)
    }

    static func tooDeep(_ at: Diagnostic.Location) -> Diagnostic {
        .error("JSON nested more than \(JSONReader.maxDepth) levels deep", at: at)
    }

    // MARK: Warnings

    static func mixedTypes(_ path: String, column: String, was: String, at: Diagnostic.Location?) -> Diagnostic {
        .warning("column '\(column)' mixes \(was) values and text: loaded as string", at: at,
                 help: "if the text marks missing values, clean it; or declare the type with --type \(column)=string")
    }

    static func bigIntegers(column: String, at: Diagnostic.Location?) -> Diagnostic {
        .warning("column '\(column)' holds whole numbers too large for 64 bits: loaded as text, so they stay exact", at: at,
                 help: "as text they still compare and group exactly (where \(column) = '…')")
    }

    static func tooManyKeys(_ path: String) -> Diagnostic {
        .error("'\(path)' has more than \(JSONReader.keyLimit) keys")
    }

    static func rareKeys(_ path: String, rare: Int, all: Int, column: String) -> Diagnostic {
        .warning("\(NumberFormat.grouped(rare)) of the \(NumberFormat.grouped(all)) keys in '\(path)' appear in under 1% of the "
                 + "records: their fields are kept together, as a JSON object per record, in the column \(column)",
                 help: "each frequent key is a column of its own; contains(\(column), '\"key\"') finds the records with a rare one")
    }

    static func renamedHeader(_ at: Diagnostic.Location, from: String, to: String) -> Diagnostic {
        .warning(from.isEmpty ? "a column has no name: called it '\(to)'"
                              : "column name '\(from)' appears more than once: the repeat is called '\(to)'",
                 at: at)
    }
}
