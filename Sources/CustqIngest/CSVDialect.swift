/// Guesses a CSV file's delimiter from its first lines.
enum CSVDialect {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The candidate that appears the same, non-zero number of times on each of the first
    /// lines (outside quotes), preferring the most frequent; `,` when none does.
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        let sampleEnd = min(bytes.count, start + 64 * 1024)
        var counts: [[Int]] = []   // per line, per candidate
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var i = start
        while i < sampleEnd, counts.count < 20 {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes, byte == UInt8(ascii: "\n") {
                counts.append(current)
                current = [Int](repeating: 0, count: candidates.count)
            } else if !inQuotes, let k = candidates.firstIndex(of: byte) {
                current[k] += 1
            }
            i += 1
        }
        if i >= bytes.count, current.contains(where: { $0 > 0 }) {
            counts.append(current)   // last line without a newline
        }
        guard let header = counts.first else { return candidates[0] }
        var best: (delimiter: UInt8, count: Int)?
        for (k, delimiter) in candidates.enumerated() where header[k] > 0 {
            let consistent = counts.allSatisfy { $0[k] == header[k] || $0.allSatisfy { $0 == 0 } }
            guard consistent else { continue }
            if best == nil || header[k] > best!.count { best = (delimiter, header[k]) }
        }
        if let best { return best.delimiter }
        // No candidate is consistent (ragged sample): take the most frequent on the header line.
        if let k = header.indices.max(by: { header[$0] < header[$1] }), header[k] > 0 { return candidates[k] }
        return candidates[0]
    }

    static func describe(_ delimiter: UInt8) -> String {
        switch delimiter {
        case UInt8(ascii: "\t"): "a tab"
        case UInt8(ascii: ","): "','"
        default: "'" + String(UnicodeScalar(delimiter)) + "'"
        }
    }
}
