import Testing
@testable import CustqStore

@Suite struct StoreTests {
    @Test func validityBitmapCountsNulls() {
        var bitmap = ValidityBitmap()
        for row in 0..<130 { bitmap.append(row % 3 != 0) }
        #expect(bitmap.count == 130)
        #expect(bitmap.nullCount == 44)
        #expect(bitmap.isValid(1))
        #expect(!bitmap.isValid(129))
        #expect(bitmap.words.count == 3)
    }

    @Test func validityBitmapFromWordsMasksTail() {
        let bitmap = ValidityBitmap(words: [~0, ~0], count: 70)
        #expect(bitmap.nullCount == 0)
        #expect(bitmap.words[1] == 0b111111)
        #expect(ValidityBitmap(count: 5, allValid: false).nullCount == 5)
    }

    @Test func stringHeapKeepsBytesContiguous() {
        let heap = StringHeap(["North", "", "华东"])
        #expect(heap.count == 3)
        #expect(heap.string(at: 2) == "华东")
        #expect(heap.byteCount(at: 1) == 0)
        #expect(heap.bytes.count == 11)
    }

    @Test func dictionaryColumnDecodesCodes() {
        let column = StringColumn(storage: .dictionary(codes: [1, 0, 1], values: StringHeap(["A", "B"])))
        #expect(column.string(at: 0) == "B")
        #expect(column.dictionarySize == 2)
        #expect(column.count == 3)
    }

    @Test func catalogLooksUpIgnoringCaseAndReplaces() {
        var catalog = Catalog()
        let one = Column(name: "x", values: .integer([1]), validity: ValidityBitmap(count: 1, allValid: true))
        let replacedFirst = catalog.add(Table(name: "Customers", columns: [one], rowCount: 1))
        #expect(!replacedFirst)
        #expect(catalog.table(named: "customers")?.rowCount == 1)
        let replacedSecond = catalog.add(Table(name: "customers", columns: [], rowCount: 0))
        #expect(replacedSecond)
        #expect(catalog.tableNames == ["customers"])
    }

    @Test func tableFindsColumnsExactThenIgnoringCase() {
        let valid = ValidityBitmap(count: 1, allValid: true)
        let table = Table(name: "t", columns: [
            Column(name: "NPS", values: .integer([1]), validity: valid),
            Column(name: "nps", values: .integer([2]), validity: valid),
            Column(name: "Region", values: .integer([3]), validity: valid),
        ], rowCount: 1)
        #expect(table.columnIndex(named: "nps") == 1)
        #expect(table.columnIndex(named: "region") == 2)
        #expect(table.columnIndex(named: "tier") == nil)
    }

    @Test func columnTypeUserNames() {
        #expect(ColumnType(userName: "INT") == .integer)
        #expect(ColumnType(userName: "text") == .string)
        #expect(ColumnType(userName: "money") == nil)
    }
}
