import CustqDiagnostics
import Testing
import CustqIngest
import CustqStore

/// Every column's type comes from all of its values.
@Suite struct TypeInferenceTests {
    @Test func infersEachType() throws {
        let result = try load("""
            i,d,b,dt,ts,s
            1,1.5,true,2024-01-31,2024-01-31T10:20:30Z,x
            -20,2,no,2024/02/29,2024-02-01 08:00,y
            3,-0.25,YES,2023-12-01,2024-02-01T08:00:00.5+08:00,z

            """)
        #expect(result.table.types == ["i:integer", "d:decimal", "b:boolean", "dt:date", "ts:timestamp", "s:string"])
        #expect(result.table.values("d") == ["1.5", "2.0", "-0.25"])
        #expect(result.table.values("b") == ["true", "false", "true"])
        #expect(result.table.values("dt") == ["2024-01-31", "2024-02-29", "2023-12-01"])
        // Times with an offset keep it (shown at it); a time without one is a wall-clock time.
        #expect(result.table.values("ts") == ["2024-01-31 10:20:30+00:00", "2024-02-01 08:00:00", "2024-02-01 08:00:00.5+08:00"])
    }

    @Test func integersWidenToDecimalsAnywhereInTheFile() throws {
        let result = try load("x\n1\n2\n2.5\n4\n")
        #expect(result.table.types == ["x:decimal"])
        #expect(result.table.values("x") == ["1.0", "2.0", "2.5", "4.0"])
        #expect(result.warnings.isEmpty)
    }

    @Test func datesWidenToTimestamps() throws {
        let result = try load("x\n2024-01-01\n2024-01-02T12:00:00\n")
        #expect(result.table.types == ["x:timestamp"])
        #expect(result.table.values("x") == ["2024-01-01 00:00:00", "2024-01-02 12:00:00"])
    }

    @Test func lateTextTurnsColumnToStringKeepingOriginalTextAndWarns() throws {
        var text = "zip,n\n"
        for i in 0..<50 { text += "\(10000 + i),\(i)\n" }
        text += "N/A,50\n007,51\n"
        let result = try load(text)
        #expect(result.table.types == ["zip:string", "n:integer"])
        #expect(result.table.values("zip").first == "10000")
        #expect(result.table.values("zip").suffix(2) == ["N/A", "007"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].message == "column 'zip' mixes integer values and text: loaded as string")
        #expect(result.warnings[0].location?.line == 52)
    }

    @Test func valuesAfterTheFirstTextInATypedColumnAreKeptToo() throws {
        let result = try load("zip,n\n1,1\nN/A,2\n3,3\n,4\n5,5\n")
        #expect(result.table.types == ["zip:string", "n:integer"])
        #expect(result.table.values("zip") == ["1", "N/A", "3", nil, "5"])
    }

    @Test func leadingZeroCodesStayText() throws {
        let result = try load("code\n00123\n00456\n")
        #expect(result.table.types == ["code:string"])
        #expect(result.table.values("code") == ["00123", "00456"])
    }

    @Test func quotedThousandsSeparatorsAreNumbers() throws {
        let result = try load("revenue,units\n\"1,200,000\",\"1,000\"\n\"950.5\",12\n\"12,345.75\",7\n")
        #expect(result.table.types == ["revenue:decimal", "units:integer"])
        #expect(result.table.values("revenue") == ["1200000.0", "950.5", "12345.75"])
        #expect(result.table.values("units") == ["1000", "12", "7"])
    }

    @Test func badlyGroupedNumbersStayText() throws {
        let result = try load("x\n\"1,20,000\"\n\"1,000\"\n")
        #expect(result.table.types == ["x:string"])
    }

    @Test func invalidCalendarDatesAreText() throws {
        let result = try load("d\n2023-02-29\n2023-01-01\n")
        #expect(result.table.types == ["d:string"])
    }

    @Test func allNullColumnIsString() throws {
        let result = try load("a,b\n1,\n2,\n")
        #expect(result.table.types == ["a:integer", "b:string"])
        #expect(result.table.column(named: "b")?.nullCount == 2)
    }

    @Test func nullsBeforeTheFirstValueStayNull() throws {
        let second = try load("a,b\n,1\n,2\n3.5,3\n")
        #expect(second.table.values("a") == [nil, nil, "3.5"])
    }

    @Test func wholeNumbersBeyondInt64StayExactAsText() throws {
        // 2^63 does not fit: the column is text, every digit kept, with a warning saying why.
        let result = try load("x\n9223372036854775807\n9223372036854775808\n99999999999999999999\n")
        #expect(result.table.types == ["x:string"])
        #expect(result.table.values("x") == ["9223372036854775807", "9223372036854775808", "99999999999999999999"])
        #expect(result.warnings.map(DiagnosticRenderer.render) == ["""
            t.csv:3:1: warning: column 'x' holds whole numbers too large for 64 bits: loaded as text, so they stay exact
                3 | 9223372036854775808
                  | ^~~~~~~~~~~~~~~~~~~
              help: as text they still compare and group exactly (where x = '…')

            """])
    }

    @Test func decimalsMatchStrtodExactly() throws {
        let samples = ["0.1", "123456.789", "1e-7", "2.5E10", "0.000123", "-98765.4321", "3.141592653589793238",
                       "12345678901234567.5", "1.7976931348623157e308", "4.9e-324"]
        let result = try load("x\n" + samples.joined(separator: "\n") + "\n")
        guard case .decimal(let values) = result.table.column(named: "x")?.values else {
            Issue.record("not decimal")
            return
        }
        #expect(Array(values) == samples.map { Double($0)! })
    }

    @Test func typeOverrideForcesType() throws {
        var options = LoadOptions()
        options.columnTypes = ["zip": .string, "score": .decimal, "flag": .boolean]
        let result = try load("zip,score,flag\n02134,7,1\n10001,8,0\n", options: options)
        #expect(result.table.types == ["zip:string", "score:decimal", "flag:boolean"])
        #expect(result.table.values("zip") == ["02134", "10001"])
        #expect(result.table.values("flag") == ["true", "false"])
    }
}
