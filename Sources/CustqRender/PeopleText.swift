import CustqStore

/// Values as people read them in a table: thousands separators, two decimals for
/// amounts, more for small fractions, NULL shown plainly.
public enum PeopleText {
    public static func cell(_ column: Column, row: Int, nullText: String = "NULL") -> String {
        if column.isNull(row) { return nullText }
        switch column.values {
        case .integer(let v):
            let value = Int(v[row])
            // Identifiers and years read wrong with separators (1,264; 2,024).
            let name = column.name.lowercased()
            let plain = name.hasSuffix("id") || name.contains("year") || abs(value) < 1000
            return plain ? String(value) : NumberFormat.grouped(value)
        case .decimal(let v): return decimal(v[row])
        default: return column.exactText(at: row) ?? nullText
        }
    }

    /// `12,345.68`, `3.50`, `0.2345`, `0.00012`.
    public static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        let magnitude = abs(value)
        if magnitude >= 1e15 { return String(value) }
        if magnitude >= 1 || magnitude == 0 {
            let cents = (magnitude * 100).rounded()
            let whole = Int(cents / 100)
            let fraction = Int(cents.truncatingRemainder(dividingBy: 100))
            let sign = value < 0 && cents != 0 ? "-" : ""
            return sign + NumberFormat.grouped(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction)
        }
        // Below 1: four significant digits, trailing zeros dropped.
        var digits = 4
        var scaled = magnitude
        while scaled < 0.1 { scaled *= 10; digits += 1 }
        var text = String(format4(magnitude, decimals: min(digits, 12)))
        while text.hasSuffix("0") { text.removeLast() }
        return (value < 0 ? "-" : "") + text
    }

    private static func format4(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let units = Int((value * scale).rounded())
        let text = String(units)
        let padded = String(repeating: "0", count: max(0, decimals + 1 - text.count)) + text
        let split = padded.index(padded.endIndex, offsetBy: -decimals)
        return padded[..<split] + "." + padded[split...]
    }
}
