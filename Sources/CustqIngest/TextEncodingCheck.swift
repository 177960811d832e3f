import CustqDiagnostics

/// Says what a file is when it is not text, before any parsing: a binary format people
/// load by mistake (an archive, a database, an image).
enum TextEncodingCheck {
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(Diagnostic) {
        let n = bytes.count
        func starts(_ prefix: [UInt8]) -> Bool { n >= prefix.count && (0..<prefix.count).allSatisfy { bytes[$0] == prefix[$0] } }
        if starts([0x50, 0x4B, 0x03, 0x04]) { throw LoadErrors.binary(path, kind: "a zip archive (an Excel .xlsx workbook is one)") }
        if starts([0x1F, 0x8B]) { throw LoadErrors.binary(path, kind: "gzip-compressed (gunzip it first)") }
        if starts(Array("%PDF".utf8)) { throw LoadErrors.binary(path, kind: "a PDF document") }
        if starts(Array("SQLite format 3".utf8)) { throw LoadErrors.binary(path, kind: "an SQLite database") }
        if starts(Array("PAR1".utf8)) { throw LoadErrors.binary(path, kind: "a Parquet file") }
        if starts([0x89, 0x50, 0x4E, 0x47]) { throw LoadErrors.binary(path, kind: "a PNG image") }
        if starts([0xFF, 0xD8, 0xFF]) { throw LoadErrors.binary(path, kind: "a JPEG image") }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { throw LoadErrors.binary(path, kind: "an old Excel .xls workbook (save it as CSV)") }
        // UTF-16 and UTF-32 text was decoded before this check (TextDecoding).
        let sample = min(n, 4096) & ~3
        guard sample >= 8 else { return }
        var zeros = 0
        for i in 0..<sample where bytes[i] == 0 { zeros += 1 }
        // Many NUL bytes at the start: a binary file of some other kind.
        if zeros * 8 > sample { throw LoadErrors.binary(path, kind: "a binary file (it is full of NUL bytes)") }
    }
}
