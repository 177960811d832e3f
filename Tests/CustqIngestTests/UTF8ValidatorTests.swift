import Testing
@testable import CustqIngest

@Suite struct UTF8ValidatorTests {
    func invalidOffsets(_ bytes: [UInt8], window: Int, collectAll: Bool = true) -> [Int] {
        bytes.withUnsafeBufferPointer { buffer in
            var validator = UTF8Validator(bytes: buffer, from: 0, collectAll: collectAll, window: window)
            var found: [Int] = []
            var start = 0
            while start < buffer.count, let bad = validator.firstInvalid(from: start, to: buffer.count) {
                found.append(bad)
                start = bad + 1
            }
            return found
        }
    }

    @Test func windowsNeverSplitACharacter() {
        let text = Array(String(repeating: "华东 North 😀 é,", count: 200).utf8)
        for window in 1...13 { #expect(invalidOffsets(text, window: window).count == 0, "window \(window)") }
    }

    @Test func findsEveryBadByteWhenLenient() {
        let bytes = Array("ab".utf8) + [0xFF] + Array("华".utf8) + [0xE5, 0x8D] + Array("x".utf8) + [0xC0, 0x80]
        #expect(invalidOffsets(bytes, window: 4) == [2, 6, 7, 9, 10])
        #expect(invalidOffsets(bytes, window: 4, collectAll: false) == [2])
    }

    @Test func rejectsOverlongsSurrogatesAndOutOfRange() {
        #expect(invalidOffsets([0xE0, 0x80, 0xAF], window: 64) == [0, 1, 2])
        #expect(invalidOffsets([0xED, 0xA0, 0x80], window: 64) == [0, 1, 2])
        #expect(invalidOffsets([0xF4, 0x90, 0x80, 0x80], window: 64) == [0, 1, 2, 3])
    }

    @Test func jsonReportsInvalidUTF8() {
        let bytes = Array("{\"a\": \"ok\"}\n{\"a\": \"b".utf8) + [0xFE] + Array("\"}\n".utf8)
        #expect(loadError(bytes: bytes, name: "t.ndjson")?.hasPrefix(
            "t.ndjson:2:9: error: invalid UTF-8: byte 0xFE does not start or continue a character") == true)
    }
}
