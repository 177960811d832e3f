import Testing
import CustqIngest
import CustqResult
import CustqStore
@testable import CustqEngine

/// `describe` gives typed statistics; the table every format writes is made from them.
@Suite struct DescribeTests {
    @Test func statisticsKeepEachColumnsOwnTypes() throws {
        let engine = Engine()
        let csv = "id,at,ok,big\n1,2024-03-01 10:00:00,true,9223372036854775807\n2,,false,-9223372036854775808\n3,2024-04-02 23:59:59,,5\n"
        engine.catalog.add(try DataLoader.load(contents: Array(csv.utf8), path: "t.csv", options: LoadOptions()).table)
        guard case .result(let result) = try engine.run("describe").last, let statistics = result.statistics else {
            Issue.record("no statistics")
            return
        }
        #expect(statistics.map(\.name) == ["id", "at", "ok", "big"])
        #expect(statistics.map(\.type) == ["integer", "timestamp", "boolean", "integer"])
        #expect(statistics.map(\.count) == [3, 2, 2, 3] && statistics.map(\.nulls) == [0, 1, 1, 0])
        // Whole numbers keep every digit (a double cannot hold 2^63 - 1).
        #expect(statistics[3].min == .integer(.min) && statistics[3].max == .integer(.max))
        #expect(statistics[0].median == 2 && statistics[0].mean == 2 && statistics[0].std == 1)
        let day = Int64(CivilDate.dayNumber(year: 2024, month: 3, day: 1))
        #expect(statistics[1].min == .timestamp(day * CivilDate.microsecondsPerDay + 10 * 3_600_000_000))
        #expect(statistics[1].median == nil)
        #expect(statistics[2].topValues == [.init(value: "false", count: 1), .init(value: "true", count: 1)])
        // The written table says the same.
        #expect(result.table.columns[5].exactText(at: 3) == "-9223372036854775808")
        #expect(result.table.columns[12].exactText(at: 2) == "false (1), true (1)")
    }
}
