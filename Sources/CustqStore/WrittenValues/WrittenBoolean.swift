/// Yes and no as exports write them: `是/否`, `Y/N`, `T/F`, `TRUE/FALSE`, `yes/no` (any case).
/// `1/0` is not among them: a column of ones and zeros stays integer unless declared boolean.
public enum WrittenBoolean {
    /// Each spelling with its value and whether it is a whole word (a column of only `Y`
    /// could be a code; a column of only `yes` is plainly yes).
    public static let words: [(text: [UInt8], value: Bool, isWord: Bool)] = [
        ("是", true, true), ("否", false, true), ("yes", true, true), ("no", false, true),
        ("true", true, true), ("false", false, true), ("y", true, false), ("n", false, false),
        ("t", true, false), ("f", false, false),
    ].map { (Array($0.0.utf8), $0.1, $0.2) }

    /// The spelling `bytes` is (its index in `words`), ignoring case and surrounding spaces.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var scanner = ByteScanner(bytes)
        let start = scanner.position
        for (index, word) in words.enumerated() {
            scanner.position = start
            if scanner.take(word: word.text), scanner.atEnd { return index }
        }
        return nil
    }
}
