import CustqDiagnostics

/// Says what a file is when it is not UTF-8 text, before any parsing: UTF-16 or UTF-32
/// (by their byte-order mark, or by the NUL bytes around ASCII characters), or a binary
/// format people load by mistake (a workbook, an archive, a database).
enum TextEncodingCheck {
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(Diagnostic) {
        let n = bytes.count
        func starts(_ prefix: [UInt8]) -> Bool { n >= prefix.count && (0..<prefix.count).allSatisfy { bytes[$0] == prefix[$0] } }
        if starts([0xFF, 0xFE, 0, 0]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-32LE (little-endian)") }
        if starts([0, 0, 0xFE, 0xFF]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-32BE (big-endian)") }
        if starts([0xFF, 0xFE]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-16LE (little-endian)") }
        if starts([0xFE, 0xFF]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-16BE (big-endian)") }
        if starts([0x50, 0x4B, 0x03, 0x04]) { throw LoadErrors.binary(path, kind: "a zip archive (an Excel .xlsx workbook is one)") }
        if starts([0x1F, 0x8B]) { throw LoadErrors.binary(path, kind: "gzip-compressed (gunzip it first)") }
        if starts(Array("%PDF".utf8)) { throw LoadErrors.binary(path, kind: "a PDF document") }
        if starts(Array("SQLite format 3".utf8)) { throw LoadErrors.binary(path, kind: "an SQLite database") }
        if starts(Array("PAR1".utf8)) { throw LoadErrors.binary(path, kind: "a Parquet file") }
        if starts([0x89, 0x50, 0x4E, 0x47]) { throw LoadErrors.binary(path, kind: "a PNG image") }
        if starts([0xFF, 0xD8, 0xFF]) { throw LoadErrors.binary(path, kind: "a JPEG image") }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { throw LoadErrors.binary(path, kind: "an old Excel .xls workbook (save it as CSV)") }
        // No mark: UTF-16 and UTF-32 text of Latin letters has NUL bytes at fixed places.
        let sample = min(n, 4096) & ~3
        guard sample >= 8 else { return }
        var zeros = [0, 0, 0, 0]
        for i in 0..<sample where bytes[i] == 0 { zeros[i & 3] += 1 }
        let quarter = sample / 4
        func mostly(_ count: Int) -> Bool { count * 10 >= quarter * 9 }
        if mostly(zeros[1]) && mostly(zeros[2]) && mostly(zeros[3]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-32LE (little-endian)") }
        if mostly(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-32BE (big-endian)") }
        if mostly(zeros[1]) && mostly(zeros[3]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-16LE (little-endian)") }
        if mostly(zeros[0]) && mostly(zeros[2]) { throw LoadErrors.otherEncoding(path, encoding: "UTF-16BE (big-endian)") }
        // Many NUL bytes at the start: a binary file of some other kind.
        if zeros.reduce(0, +) * 8 > sample { throw LoadErrors.binary(path, kind: "a binary file (it is full of NUL bytes)") }
    }
}
