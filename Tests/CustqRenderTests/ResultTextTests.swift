import Testing
import CustqResult
import CustqStore
@testable import CustqRender

/// The words under a result come from its typed notes, in one place.
@Suite struct ResultTextTests {
    @Test func theAsOfDateSaysWhereItComesFromAndWhatItLeavesOut() {
        let day = Int32(CivilDate.dayNumber(year: 2024, month: 6, day: 30))
        #expect(ResultText.note(.asOf(day: day, source: .latestOrderDate, ordersLeftOut: 0))
                == "as of 2024-06-30 (the latest order date)")
        #expect(ResultText.note(.asOf(day: day, source: .setWithAsOf, ordersLeftOut: 1))
                == "as of 2024-06-30 (set with .asof); 1 order dated after it is left out")
        #expect(ResultText.note(.asOf(day: day, source: .setWithAsOf, ordersLeftOut: 4216))
                == "as of 2024-06-30 (set with .asof); 4,216 orders dated after it are left out")
    }

    @Test func rowsLeftOutAndValuesNotReadAreCounted() {
        #expect(ResultText.note(.rowsWithoutValue(count: 1, what: "region")) == "1 row with no region was left out")
        #expect(ResultText.note(.rowsWithoutValue(count: 1200, what: "clv")) == "1,200 rows with no clv were left out")
        #expect(ResultText.note(.ordersWithoutDate(count: 2, column: "order_date")) == "2 orders have no order_date and are left out")
        let examples = [UnreadValue(text: "soon", row: 3), UnreadValue(text: "N/A", row: 8)]
        #expect(ResultText.note(.notConverted(function: "date", rows: 5, examples: examples))
                == "date: 5 values did not convert and are null: 'soon' (row 4), 'N/A' (row 9), …")
        #expect(ResultText.note(.notConverted(function: "number", rows: 1, examples: []))
                == "number: 1 value did not convert and is null")
    }

    @Test func aValueTheColumnNeverHoldsSuggestsTheClosest() {
        #expect(ResultText.note(.valueNotFound(column: "region", value: "Nort", closest: "North"))
                == "no region is 'Nort' (did you mean North?)")
        #expect(ResultText.note(.valueNotFound(column: "region", value: "Mars", closest: nil)) == "no region is 'Mars'")
    }

    @Test func theFooterSaysWhatTheMatchedCountCounts() {
        let table = Table(name: "r", columns: [], rowCount: 3)
        var result = QueryResult(table: table, rowsScanned: 2000, rowsMatched: 812)
        #expect(ResultText.footer(result, shown: 3) == "3 rows (812 of 2,000 rows matched)")
        result.matched = .customersWithSegment(filtered: false)
        #expect(ResultText.footer(result, shown: 2) == "3 rows, 2 shown (812 of 2,000 customers have an RFM segment)")
        result.matched = .customersWithValue("monetary", filtered: true)
        #expect(ResultText.footer(result, shown: 3) == "3 rows (812 of 2,000 customers match and have a value of monetary)")
    }
}
