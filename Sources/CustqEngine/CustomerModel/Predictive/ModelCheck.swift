import CustqModels
import CustqResult
import CustqStore

/// A fitted model against the holdout period (the orders after the calibration end), as
/// the papers check it: repeat purchases expected and made in the holdout, by the number of
/// repeat purchases in the calibration period (0 to 7+), and cumulative repeat purchases
/// week by week from the first purchase to the end of the holdout.
struct ModelCheck {
    let models: PredictiveModels
    let summary: CustomerSummary
    let holdoutEnd: Int32

    private var unitDays: Double { models.unit.days }
    private var length: Double { Double(holdoutEnd - models.calibrationEnd) / unitDays }

    /// Each customer's expected repeat purchases in the holdout (nil: the series did not settle).
    private var expected: [Double?] {
        summary.x.indices.map { i in
            models.purchases.model.expectedPurchases(in: length, x: summary.x[i], tx: summary.tx[i], T: summary.T[i])
        }
    }

    /// `clv check`: per group of calibration repeat purchases, customers and the mean
    /// holdout purchases made and expected; the totals and correlation in a note.
    var byPurchases: QueryResult {
        // A customer the model gives no expectation for (its series did not settle) is left
        // out of every figure, and counted in a note.
        let expectations = self.expected
        let counted = summary.x.indices.filter { expectations[$0] != nil }
        let expected = expectations.map { $0 ?? 0 }
        var customers = [Int](repeating: 0, count: 8)
        var actualSum = [Double](repeating: 0, count: 8), expectedSum = [Double](repeating: 0, count: 8)
        for i in counted {
            let group = min(7, Int(summary.x[i]))
            customers[group] += 1
            actualSum[group] += summary.holdout[i]
            expectedSum[group] += expected[i]
        }
        let groups = (0..<8).filter { customers[$0] > 0 }
        let columns = [
            Vector(storage: .string(StringValues(strings: groups.map { $0 == 7 ? "7+" : String($0) })), nulls: nil)
                .column(named: "calibration_purchases"),
            Vector(storage: .integer(groups.map { Int64(customers[$0]) }), nulls: nil).column(named: "customers"),
            Vector(storage: .decimal(groups.map { actualSum[$0] / Double(customers[$0]) }), nulls: nil).column(named: "actual"),
            Vector(storage: .decimal(groups.map { expectedSum[$0] / Double(customers[$0]) }), nulls: nil).column(named: "expected"),
        ]
        var result = QueryResult(table: Table(name: "clv check", columns: columns, rowCount: groups.count),
                                 rowsScanned: summary.x.count, rowsMatched: summary.x.count)
        result.notes = [.holdout(from: models.calibrationEnd, to: holdoutEnd, length: length, unit: models.unit.rawValue,
                                 actual: counted.reduce(0) { $0 + summary.holdout[$1] }, expected: counted.reduce(0) { $0 + expected[$1] },
                                 correlation: Correlation.pearson(counted.map { summary.holdout[$0] }, counted.map { expected[$0] }))]
        if counted.count < summary.x.count {
            result.notes.append(.rowsWithoutValue(count: summary.x.count - counted.count, what: "expected purchases from the model"))
        }
        return result
    }

    /// `clv track`: week by week from the first purchase, the repeat purchases made so far
    /// and those the model expects (each customer's E[X(t)] since their first purchase).
    var tracking: QueryResult {
        let start = summary.first.min() ?? models.calibrationEnd
        var firstPurchases: [Int32: Int] = [:]
        for day in summary.first { firstPurchases[day, default: 0] += 1 }
        let firstDays = firstPurchases.keys.sorted()
        // Repeat purchases by day from the first purchase on (none is before it).
        var repeatsOnDay = [Int](repeating: 0, count: Int((summary.repeatPurchaseDays.max() ?? start) - start) + 1)
        for day in summary.repeatPurchaseDays { repeatsOnDay[Int(day - start)] += 1 }
        // Week w is the days [start + 7(w − 1), start + 7w); the last one may run past the data.
        let weeks = Int((Double(holdoutEnd - start + 1) / 7).rounded(.up))
        var week: [Int64] = [], ends: [Int32] = [], actual: [Int64] = [], expected: [Double] = []
        var made = 0, next = 0
        for w in 1...max(1, weeks) {
            let boundary = start + Int32(7 * w)
            while next < repeatsOnDay.count, start + Int32(next) < boundary {
                made += repeatsOnDay[next]
                next += 1
            }
            var sum = 0.0
            for day in firstDays where day < boundary {
                sum += Double(firstPurchases[day]!) * (models.purchases.model.expectedPurchases(in: Double(boundary - day) / unitDays) ?? .nan)
            }
            week.append(Int64(w))
            ends.append(boundary - 1)
            actual.append(Int64(made))
            expected.append(sum)
        }
        let columns = [Vector(storage: .integer(week), nulls: nil).column(named: "week"),
                       Vector(storage: .date(ends), nulls: nil).column(named: "week_ending"),
                       Vector(storage: .integer(actual), nulls: nil).column(named: "actual"),
                       Vector(storage: .decimal(expected), nulls: nil).column(named: "expected")]
        var result = QueryResult(table: Table(name: "clv track", columns: columns, rowCount: week.count),
                                 rowsScanned: week.count, rowsMatched: week.count)
        result.chart = .tracking(title: "cumulative repeat purchases")
        let holdoutStart = models.calibrationEnd + 1
        if let first = ends.firstIndex(where: { $0 >= holdoutStart }) {
            result.notes = [.holdoutBegins(day: holdoutStart, week: Int(week[first]))]
        }
        return result
    }
}
