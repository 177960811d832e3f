import CustqDiagnostics
import CustqStore

/// The last step of every load: columns that loaded as text are read again as dates,
/// money, percentages and yes/no where all their values allow (`TextColumnReading`);
/// identifiers written as `17850.0` become whole numbers; codes are marked so they are
/// shown without thousands separators. Warnings that a column mixes kinds are given for
/// the columns that stay text.
enum ColumnReadings {
    static func apply(to result: LoadResult, options: LoadOptions) -> LoadResult {
        var result = result
        let declared = Set(options.columnTypes.keys.map { $0.lowercased() })
        let style: WrittenAmount.Style = result.delimiter.map { $0 == UInt8(ascii: ",") } ?? true ? .decimalPoint : .decimalComma
        var columns = result.table.columns
        var warnings: [Diagnostic] = []
        for index in columns.indices {
            if let format = options.format(of: columns[index].name),
               let type = options.columnTypes.first(where: { $0.key.lowercased() == columns[index].name.lowercased() })?.value {
                columns[index] = TextColumnReading.stated(columns[index], format: format, as: type)
            }
        }
        for index in columns.indices where !declared.contains(columns[index].name.lowercased()) {
            let name = columns[index].name
            switch TextColumnReading.read(columns[index], preferredStyle: style) {
            case .read(let reading)?:
                columns[index] = reading.column
                columns[index].reading = reading.reading
                if let guess = reading.guess { result.choices.append(guess) }
            case .staysText(let warning)?:
                warnings.append(.warning(warning))
            case nil:
                if let wholeNumbers = wholeNumbers(columns[index]) { columns[index] = wholeNumbers }
                if result.mixedKinds[name] == nil, let warning = TextColumnReading.mostlyDates(columns[index]) {
                    warnings.append(.warning(warning))
                }
            }
            if columns[index].type == .integer, ColumnNames.isCode(name) { columns[index].unit = .code }
            // Product codes mix digits and letters by nature (StockCode 85123A, 71053, POST), as
            // do identifiers whose every value holds a digit (InvoiceNo C536379 for a
            // cancellation); numbers with leading zeros (zip 01151) are codes: no warning for
            // these. An identifier holding N/A still gets one.
            if let mixed = result.mixedKinds[name], columns[index].type == .string, !ColumnNames.isProductCode(name),
               !leadingZeroCodes(columns[index]), !(ColumnNames.isCode(name) && everyValueHasADigit(columns[index])) {
                warnings.append(mixed)
            }
        }
        result.warnings += warnings
        result.mixedKinds = [:]
        let notes = result.table.notes
        result.table = Table(name: result.table.name, columns: columns, rowCount: result.table.rowCount, source: result.table.source)
        result.table.notes = notes
        return result
    }

    /// Whether every value of a text column holds a digit (`C536379`, `A-17`).
    static func everyValueHasADigit(_ column: Column) -> Bool {
        guard case .string(let strings) = column.values else { return false }
        for row in 0..<column.count where !column.isNull(row) {
            if !strings.withBytes(at: row, { bytes in bytes.contains { $0 &- 48 < 10 } }) { return false }
        }
        return true
    }

    /// Whether every value of a text column is digits alone and some start with a zero
    /// (`01151`, `12345`): postcodes and codes, kept as written.
    static func leadingZeroCodes(_ column: Column) -> Bool {
        guard case .string(let strings) = column.values else { return false }
        var leadingZero = false
        for row in 0..<column.count where !column.isNull(row) {
            let digits = strings.withBytes(at: row) { bytes in
                if bytes.count > 1, bytes.first == UInt8(ascii: "0") { leadingZero = true }
                return !bytes.isEmpty && bytes.allSatisfy { $0 &- 48 < 10 }
            }
            if !digits { return false }
        }
        return leadingZero
    }

    /// An identifier column of decimals that are all whole (`CustomerID` written `17850.0`)
    /// as integers.
    static func wholeNumbers(_ column: Column) -> Column? {
        guard case .decimal(let values) = column.values, ColumnNames.isCode(column.name) else { return nil }
        var integers: [Int64] = []
        integers.reserveCapacity(values.count)
        var example: Double?
        for row in 0..<values.count {
            guard !column.isNull(row) else {
                integers.append(0)
                continue
            }
            let value = values[row]
            guard value.rounded() == value, abs(value) < 9_007_199_254_740_992 else { return nil }
            if example == nil { example = value }
            integers.append(Int64(value))
        }
        guard let example else { return nil }
        var result = column
        result.values = .integer(ValueBuffer(integers))
        result.reading = "whole numbers (\(example))"
        return result
    }
}
