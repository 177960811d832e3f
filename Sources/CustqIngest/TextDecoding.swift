import CustqDiagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text in other encodings, turned into UTF-8 with the C library's iconv before it is
/// read: GB18030 (what Excel on Chinese Windows saves as "CSV"), UTF-16 with its byte-order
/// mark (Excel's "Unicode Text"), or whatever `--encoding` names.
enum TextDecoding {
    /// Which encoding a file without `--encoding` is in, when it is not UTF-8: UTF-16 or
    /// UTF-32 by their byte-order mark or their NUL bytes; nil for UTF-8 (or bytes that
    /// are not text, which the reader reports).
    static func detectedUnicode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let n = bytes.count
        func starts(_ prefix: [UInt8]) -> Bool { n >= prefix.count && (0..<prefix.count).allSatisfy { bytes[$0] == prefix[$0] } }
        if starts([0xFF, 0xFE, 0, 0]) { return "UTF-32LE" }
        if starts([0, 0, 0xFE, 0xFF]) { return "UTF-32BE" }
        if starts([0xFF, 0xFE]) { return "UTF-16LE" }
        if starts([0xFE, 0xFF]) { return "UTF-16BE" }
        // No mark: UTF-16 and UTF-32 text of Latin letters has NUL bytes at fixed places.
        let sample = min(n, 4096) & ~3
        guard sample >= 8 else { return nil }
        var zeros = [0, 0, 0, 0]
        for i in 0..<sample where bytes[i] == 0 { zeros[i & 3] += 1 }
        let quarter = sample / 4
        func mostly(_ count: Int) -> Bool { count * 10 >= quarter * 9 }
        if mostly(zeros[1]) && mostly(zeros[2]) && mostly(zeros[3]) { return "UTF-32LE" }
        if mostly(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) { return "UTF-32BE" }
        if mostly(zeros[1]) && mostly(zeros[3]) { return "UTF-16LE" }
        if mostly(zeros[0]) && mostly(zeros[2]) { return "UTF-16BE" }
        return nil
    }

    /// Whether bytes that are not UTF-8 look like Chinese text in GB18030 rather than UTF-8
    /// with a few damaged bytes: in GB18030 text most bytes above 0x7F do not form UTF-8
    /// characters (about 6 in 7 for common hanzi), while a damaged UTF-8 file has a few bad
    /// spots among many good characters. At least two bad spots, and more than twice as many
    /// as good characters.
    static func looksLikeGB18030(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var good = 0, bad = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if length > 0, i + length <= n, (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }) {
                good += 1
                i += length
            } else {
                bad += 1
                i += 1
            }
        }
        return bad >= 2 && bad > 2 * good
    }

    /// The encoding names people write, as iconv knows them.
    static func iconvName(_ name: String) -> String {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": "ISO-8859-1"
        case "windows-1252", "cp1252", "win-1252": "CP1252"
        case "gbk", "cp936": "GBK"
        case "gb2312", "euc-cn": "GB2312"
        case "gb18030": "GB18030"
        case "big5", "big-5": "BIG5"
        case "shift-jis", "sjis", "shift_jis": "SHIFT_JIS"
        case "utf-16": "UTF-16"
        case "utf-16le": "UTF-16LE"
        case "utf-16be": "UTF-16BE"
        default: name.uppercased()
        }
    }

    /// Whether `name` means UTF-8 (nothing to decode).
    static func isUTF8(_ name: String) -> Bool { ["utf-8", "utf8"].contains(name.lowercased()) }

    /// Whether iconv can read `name`.
    static func isKnown(_ name: String) -> Bool {
        let converter = iconv_open("UTF-8", iconvName(name))
        guard converter != iconv_t(bitPattern: -1) else { return false }
        iconv_close(converter)
        return true
    }

    /// Why bytes did not decode: the offset of the first that did not.
    struct Undecodable: Error {
        let offset: Int
    }

    /// `bytes` (after any byte-order mark) in `encoding`, as UTF-8.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, from encoding: String) throws(Undecodable) -> UnsafeMutableBufferPointer<UInt8> {
        let name = iconvName(encoding)
        var skip = 0
        if name.hasPrefix("UTF-16"), bytes.count >= 2,
           (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            // The mark says the byte order; iconv's plain "UTF-16" reads it and drops it.
            return try convert(bytes, from: "UTF-16", skipping: 0)
        }
        if name.hasPrefix("UTF-32"), bytes.count >= 4 { skip = (bytes[0] == 0xFF || bytes[3] == 0xFF) ? 4 : 0 }
        if name == "GB18030" || name == "GBK", bytes.count >= 4, bytes[0] == 0x84, bytes[1] == 0x31, bytes[2] == 0x95, bytes[3] == 0x33 {
            skip = 4   // GB18030's own byte-order mark
        }
        return try convert(bytes, from: name, skipping: skip)
    }

    private static func convert(_ bytes: UnsafeBufferPointer<UInt8>, from name: String, skipping skip: Int) throws(Undecodable) -> UnsafeMutableBufferPointer<UInt8> {
        let converter = iconv_open("UTF-8", name)
        guard converter != iconv_t(bitPattern: -1) else { throw Undecodable(offset: 0) }
        defer { iconv_close(converter) }
        // UTF-8 of CJK text is at most 1.5 times its GB18030 bytes, and of UTF-16 at most 1.5
        // times too; grow if an encoding needs more.
        var capacity = max(64, bytes.count * 3 / 2 + 16)
        var output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var written = 0
        var position = skip
        while position < bytes.count {
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: bytes.baseAddress! + position)
                .assumingMemoryBound(to: CChar.self)
            var inLeft = bytes.count - position
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output.baseAddress! + written)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = capacity - written
            let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            let failure = result == -1 ? errno : 0
            position = bytes.count - inLeft
            written = capacity - outLeft
            if failure == E2BIG {
                capacity *= 2
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
                _ = bigger.initialize(from: output[..<written])
                output.deallocate()
                output = bigger
            } else if failure != 0 {
                output.deallocate()
                throw Undecodable(offset: position)
            }
        }
        let result = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, written))
        _ = result.initialize(from: output[..<written])
        output.deallocate()
        return UnsafeMutableBufferPointer(rebasing: result[..<written])
    }
}
