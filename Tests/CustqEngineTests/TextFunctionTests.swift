import Testing
import CustqIngest
import CustqRender
@testable import CustqEngine

/// The conversion and text functions as a user meets them: values that do not convert,
/// the notes that say so, and mistakes in their arguments. Their values are checked
/// against DuckDB in tests/duckdb/check_functions.py.
@Suite struct TextFunctionTests {
    func engine(_ csv: String) throws -> Engine {
        let engine = Engine()
        var options = LoadOptions()
        options.columnTypes = ["when": .string, "paid": .string]
        engine.catalog.add(try DataLoader.load(contents: Array(csv.utf8), path: "t.csv", options: options).table)
        return engine
    }

    @Test func valuesThatDoNotConvertAreNullAndCounted() throws {
        let engine = try engine("id,when,paid\n1,31/01/2024,\"$1,200.50\"\n2,soon,(300.00)\n3,05/02/2024,n/a\n4,N/A,12.5%\n5,TBD,\n")
        guard case .result(let result) = try engine.run("show id, date(when) as d, number(paid) as n").last else {
            Issue.record("no result")
            return
        }
        #expect(ResultRenderer.render(result.table, format: .csv) == """
            id,d,n
            1,2024-01-31,1200.5
            2,,-300.0
            3,2024-02-05,
            4,,0.125
            5,,

            """)
        // 31/01 is no month first: the day comes first in every value.
        #expect(result.notes.map(ResultText.note) == ["date: 3 values did not convert and are null: 'soon' (row 2), 'N/A' (row 4), 'TBD' (row 5)",
                                 "number: 1 value did not convert and is null: 'n/a' (row 3)"])
    }

    @Test func anOrderBothWaysIsSaid() throws {
        let engine = try engine("id,when,paid\n1,01/02/2024,1\n2,03/04/2024,2\n")
        guard case .result(let result) = try engine.run("show date(when) as d").last else { return }
        #expect(ResultRenderer.render(result.table, format: .csv) == "d\n2024-01-02\n2024-03-04\n")
        #expect(result.notes.map(ResultText.note) == ["01/02/2024 and the like read as month/day/year; give a format such as '%d/%m/%Y' to read the day first"])
    }

    @Test func aValueNoOrderReadsDoesNotDecideTheOrder() throws {
        // 29/02/2023 is no day either way; 31/12/2023 still says the day comes first.
        let engine = try engine("id,when,paid\n1,05/01/2024,1\n2,31/12/2023,2\n3,29/02/2023,3\n")
        guard case .result(let result) = try engine.run("show date(when) as d").last else { return }
        #expect(ResultRenderer.render(result.table, format: .csv) == "d\n2024-01-05\n2023-12-31\n\n")
        #expect(result.notes.map(ResultText.note) == ["date: 1 value did not convert and is null: '29/02/2023' (row 3)"])
    }

    @Test func aNumberThatReadsBothWaysIsSaid() throws {
        let engine = try engine("id,when,paid\n1,x,\"1,234\"\n2,y,5.5\n")
        guard case .result(let result) = try engine.run("show number(paid) as n").last else { return }
        #expect(ResultRenderer.render(result.table, format: .csv) == "n\n1234.0\n5.5\n")
        #expect(result.notes.map(ResultText.note) == ["number read 1,234 and the like with a decimal point: 1234, not 1.234"])
    }

    @Test func likeAndConcatenation() throws {
        let engine = try engine("id,when,paid\n1,Acme Ltd,a\n2,acme co,\n3,Beta,b\n")
        #expect(try csv(engine, "show id where when ilike 'ACME%'") == "id\n1\n2\n")
        #expect(try csv(engine, "show id where when not like 'A%'") == "id\n2\n3\n")
        #expect(try csv(engine, "show when || '/' || paid as x, concat(when, '/', paid) as y") == "x,y\nAcme Ltd/a,Acme Ltd/a\n,acme co/\nBeta/b,Beta/b\n")
    }

    @Test func mistakesInArguments() throws {
        let engine = try engine("id,when,paid\n1,x,y\n")
        #expect(error(engine, "show date(when, '%d/%q')") == """
            error: %q in '%d/%q' is not a format custq reads
                 | show date(when, '%d/%q')
                 |                 ^~~~~~~
              help: formats use %Y %m %d %H %M %S %p %z %b, e.g. '%m/%d/%Y %H:%M'

            """)
        #expect(error(engine, "show date(when, id)").hasPrefix("error: date's format is text in quotes, e.g. date(when, '%d/%m/%Y')\n"))
        #expect(error(engine, "show substr(when, 'a')").hasPrefix("error: substr needs a whole number (the first character is 1)"))
        #expect(error(engine, "show month_of(when)").hasPrefix("error: month_of needs a date"))
        #expect(error(engine, "count where id like 'A%'").hasPrefix("error: like needs text"))
    }
}
