import Foundation
import Testing
@testable import CustqModels

/// The weighted rows of the summary, and the likelihood over them on every core, against the
/// same figures worked out customer by customer.
@Suite struct PurchaseSummaryTests {
    /// 60,000 customers of whole days in weeks (as CustomerSummary makes them), many sharing
    /// (x, t_x, T): more rows than one chunk of the chunked sums holds.
    static func customers() -> [(x: Double, tx: Double, T: Double)] {
        var state: UInt64 = 20_261_206
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        return (0..<60_000).map { _ in
            let T = next(700), x = next(4) == 0 ? 0 : 1 + next(min(40, T + 1)), tx = x == 0 ? 0 : min(T, x + next(T + 1))
            return (Double(x), Double(tx) / 7, Double(T) / 7)
        }
    }

    @Test func rowsAreTheDistinctCustomersInOrderOfTThenTxThenX() {
        let customers = Self.customers()
        let summary = PurchaseSummary(customers: customers)
        var weights: [[Double]: Double] = [:]
        for c in customers { weights[[c.T, c.tx, c.x], default: 0] += 1 }
        let expected = weights.keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(summary.customers == 60_000)
        #expect(summary.rows == expected.count)
        #expect((0..<summary.rows).map { [summary.T[$0], summary.tx[$0], summary.x[$0]] } == expected)
        #expect(summary.weight == expected.map { weights[$0]! })
        // Each row's indices name its own values; the tables are the distinct values in order.
        #expect(summary.times == Set(customers.flatMap { [$0.tx, $0.T] }).sorted())
        #expect(summary.counts == Set(customers.map(\.x)).sorted())
        for row in 0..<summary.rows {
            #expect(summary.times[Int(summary.TIndex[row])] == summary.T[row])
            #expect(summary.times[Int(summary.txIndex[row])] == summary.tx[row])
            #expect(summary.counts[Int(summary.countIndex[row])] == summary.x[row])
        }
        #expect(summary.customersWithCount.reduce(0, +) == 60_000)
    }

    @Test func theChunkedLikelihoodIsTheSumOverTheCustomers() {
        let customers = Self.customers()
        let summary = PurchaseSummary(customers: customers)
        #expect(summary.rows > ChunkedSums.rowsPerChunk)
        let model = BGNBD(r: 0.8, alpha: 12, a: 0.6, b: 2.5)
        let oneByOne = customers.reduce(0.0) { $0 + model.logLikelihood(x: $1.x, tx: $1.tx, T: $1.T) }
        let value = model.logLikelihood(summary)
        #expect(abs(value - oneByOne) <= 1e-11 * abs(oneByOne), "\(value) \(oneByOne)")
        // The same bits on every call: the chunks are added in their order, whichever thread ends first.
        for _ in 0..<5 { #expect(model.logLikelihoodAndGradient(summary).gradient == model.logLikelihoodAndGradient(summary).gradient) }
    }

    @Test func chunkedSumsAddTheChunksInOrder() {
        let rows = 3 * ChunkedSums.rowsPerChunk + 17
        let sums = ChunkedSums.sum(rows: rows, width: 2) { range, sums in
            for i in range {
                sums[0] += 1
                sums[1] += Double(i)
            }
        }
        #expect(sums == [Double(rows), Double(rows * (rows - 1) / 2)])
        #expect(ChunkedSums.sum(rows: 0, width: 3) { _, _ in Issue.record("no rows, no chunk") } == [0, 0, 0])
    }
}
