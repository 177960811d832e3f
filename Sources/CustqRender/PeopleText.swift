#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqStore
import CustqText

/// Values as people read them in a table: thousands separators, two decimals for
/// amounts, more for small fractions, NULL shown plainly.
public enum PeopleText {
    /// `decimals`: digits after the point for decimal values (see `decimals(for:)`);
    /// nil formats each value on its own.
    public static func cell(_ column: Column, row: Int, nullText: String = "NULL", decimals: Int? = nil) -> String {
        if column.isNull(row) { return nullText }
        switch column.values {
        case .integer(let v):
            let value = Int(v[row])
            // Identifiers, codes and years read wrong with separators (1,264; 2,024).
            let name = column.name.lowercased()
            let plain = column.unit == .code || ColumnNames.isCode(column.name) || name.contains("year") || abs(value) < 1000
            return plain ? String(value) : NumberFormat.grouped(value)
        case .decimal(let v):
            let value = v[row]
            switch column.unit {
            case .percent where value.isFinite:
                return fixed(value * 100, decimals: decimals ?? 1) + "%"
            case .money(let symbol, let after) where value.isFinite:
                let amount = fixed(abs(value), decimals: 2)
                let sign = value < 0 && amount != fixed(0, decimals: 2) ? "-" : ""
                return after ? sign + amount + " " + symbol : sign + symbol + amount
            case .estimate where value.isFinite && value != 0:
                return fixed(value, decimals: max(0, min(12, 3 - Int(log10(abs(value)).rounded(.down)))))
            default:
                guard let decimals, value.isFinite else { return decimal(value) }
                return fixed(value, decimals: decimals)
            }
        default: return column.exactText(at: row) ?? nullText
        }
    }

    /// Digits after the point for a decimal column, the same for every row so numbers
    /// align and a quantity looks the same wherever it appears: two for percentages and
    /// money, else as many as the values need (see `decimals(for:minimum:)`).
    public static func decimals(for column: Column, rows: Range<Int>) -> Int? {
        guard case .decimal(let values) = column.values else { return nil }
        switch column.unit {
        case .percentPoints, .currency, .money: return 2
        case .estimate: return nil
        default: break
        }
        var numbers: [Double] = []
        let scale = column.unit == .percent ? 100.0 : 1.0
        for row in rows where !column.isNull(row) && values[row].isFinite { numbers.append(values[row] * scale) }
        return decimals(for: numbers)
    }

    /// Digits after the point for numbers shown together (one place decides this for every
    /// table, chart and label): as many as the values need, at most 2 when the largest is 1
    /// or more, else enough for 4 significant digits of the largest; at least `minimum`.
    public static func decimals(for values: [Double], minimum: Int = 1) -> Int {
        let largest = values.reduce(0.0) { max($0, $1.isFinite ? abs($1) : 0) }
        var cap = 2
        if largest > 0 && largest < 1 {
            cap = 4
            var scaled = largest
            while scaled < 0.1 && cap < 12 { scaled *= 10; cap += 1 }
        }
        var needed = minimum
        var scale = 1.0
        for _ in 0..<cap { scale *= 10 }
        for x in values where x.isFinite && needed < cap {
            var units = (abs(x) * scale).rounded()
            guard units < 9e15 else { continue }
            var digits = cap
            while digits > needed, units.truncatingRemainder(dividingBy: 10) == 0 {
                units /= 10
                digits -= 1
            }
            needed = max(needed, digits)
        }
        return min(needed, cap)
    }

    /// `value` with exactly `decimals` digits after the point and thousands separators.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        // Beyond what 64-bit whole numbers hold at this scale (and NaN, ±inf): as Swift writes it.
        guard value.isFinite, abs(value) * scale < 9e15 else { return String(value) }
        let units = (abs(value) * scale).rounded()
        let whole = Int((units / scale).rounded(.down))
        let fraction = Int(units - Double(whole) * scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        var fractionText = String(fraction)
        fractionText = String(repeating: "0", count: max(0, decimals - fractionText.count)) + fractionText
        return sign + NumberFormat.grouped(whole) + (decimals > 0 ? "." + fractionText : "")
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
