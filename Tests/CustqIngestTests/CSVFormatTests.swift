import Testing
import CustqIngest
import CustqStore

/// RFC 4180 details, encodings, line endings and delimiter sniffing.
@Suite struct CSVFormatTests {
    @Test func readsQuotedCommasDoubledQuotesAndNewlines() throws {
        let result = try load("id,name,note\n1,\"Acme, Inc.\",\"said \"\"hi\"\"\"\n2,\"two\nlines\",plain\n")
        #expect(result.table.cells == [["1", "Acme, Inc.", "said \"hi\""], ["2", "two\nlines", "plain"]])
    }

    @Test func skipsByteOrderMark() throws {
        let result = try load(bytes: [0xEF, 0xBB, 0xBF] + Array("id,x\n1,2\n".utf8))
        #expect(result.table.columnNames == ["id", "x"])
    }

    @Test func acceptsCRLFAndNoFinalNewline() throws {
        let result = try load("a,b\r\n1,x\r\n2,y")
        #expect(result.table.cells == [["1", "x"], ["2", "y"]])
    }

    @Test func chineseHeadersAreColumnNames() throws {
        let result = try load("客户,地区,收入\n张三,华东,1200.5\n李四,华南,800\n")
        #expect(result.table.types == ["客户:string", "地区:string", "收入:decimal"])
        #expect(result.table.values("地区") == ["华东", "华南"])
    }

    @Test(arguments: [(";", "a;b\n1;2\n3;4\n"), ("\t", "a\tb\n1\t2\n3\t4\n"), ("|", "a|b\n1|2\n3|4\n"),
                      (",", "a,b\n1,2\n3,4\n")])
    func sniffsDelimiter(delimiter: String, text: String) throws {
        let result = try load(text)
        #expect(result.table.columnNames == ["a", "b"])
        #expect(result.table.cells == [["1", "2"], ["3", "4"]])
    }

    @Test func sniffingIgnoresDelimitersInsideQuotes() throws {
        let result = try load("name;city\n\"Smith, J\";Boston\n\"Lee, K\";Austin\n")
        #expect(result.table.values("name") == ["Smith, J", "Lee, K"])
    }

    @Test func delimiterOverride() throws {
        var options = LoadOptions()
        options.delimiter = UInt8(ascii: ";")
        let result = try load("a,b;c\n1,2;3\n", options: options)
        #expect(result.table.columnNames == ["a,b", "c"])
    }

    @Test func tsvExtensionMeansTabs() throws {
        let result = try load("a,b\tc\n1,2\t3\n", name: "x.tsv")
        #expect(result.table.columnNames == ["a,b", "c"])
    }

    @Test func noHeaderNamesColumns() throws {
        var options = LoadOptions()
        options.hasHeader = false
        let result = try load("1,x\n2,y\n", options: options)
        #expect(result.table.columnNames == ["column1", "column2"])
        #expect(result.table.rowCount == 2)
    }

    @Test func emptyCellsAreNull() throws {
        let result = try load("a,b,c\n1,,x\n,2,\n")
        #expect(result.table.cells == [["1", nil, "x"], [nil, "2", nil]])
        #expect(result.table.column(named: "c")?.nullCount == 1)
    }

    @Test func blankLinesAreSkipped() throws {
        let result = try load("a,b\n1,2\n\n3,4\n\n")
        #expect(result.table.rowCount == 2)
    }

    @Test func repeatedAndEmptyHeaderNamesAreMadeUniqueWithWarnings() throws {
        let result = try load("id,x,,X\n1,2,3,4\n")
        #expect(result.table.columnNames == ["id", "x", "column3", "X_2"])
        #expect(result.warnings.map(\.message) == [
            "a column has no name: called it 'column3'",
            "column name 'X' appears more than once: the repeat is called 'X_2'",
        ])
    }

    @Test func headerNamesAreTrimmed() throws {
        let result = try load(" id , name \n1,a\n")
        #expect(result.table.columnNames == ["id", "name"])
    }

    @Test func tableIsNamedAfterFileStem() throws {
        #expect(try load("a\n1\n", name: "data/customers.2024.csv").table.name == "customers.2024")
        #expect(DataLoader.tableName(forPath: "/x/orders.csv") == "orders")
    }

    @Test func largeFileSpanningManyReleaseWindowsLoadsEveryRow() throws {
        var text = "id,name,amount\n"
        for i in 0..<200_000 { text += "\(i),customer number \(i % 977),\(i % 1000).25\n" }
        let result = try load(text)
        #expect(result.table.rowCount == 200_000)
        #expect(result.table.values("id").last == "199999")
        #expect(result.table.values("amount")[1234] == "234.25")
        #expect(result.table.values("name")[200_000 - 1] == "customer number \(199_999 % 977)")
    }
}
