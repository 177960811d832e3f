import CustqDiagnostics
import CustqStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pass over the JSON text, filling column builders record by record.
struct JSONScanner {
    enum Stop: Error {
        case failed(Diagnostic)
    }

    let file: InputFile
    let bytes: UnsafeBufferPointer<UInt8>
    let options: LoadOptions
    var position: Int
    /// Where to stop reading NDJSON records (the end of the file, or of its first half).
    var end: Int
    /// False for the second half's scanner: the first reports how far the load has come.
    var reportsProgress = true
    /// Where this scanner started: it hands back file pages from here on.
    let start: Int
    var nextRelease: Int
    /// Where the scanner next reports progress and asks whether to stop.
    var nextCheck: Int
    var utf8: UTF8Validator
    var builders: [ColumnBuilder] = []
    var keys = JSONKeyTable()
    var rowCount = 0
    var skippedLines: [Int] = []
    var textRowStarts: [String: Int] = [:]
    /// Columns given a value in the current record, in order (to undo a dropped record).
    var filledInRow: [Int] = []
    /// For each column, 1 + the record number that last gave it a value.
    var filledStamp: [Int] = []
    var builderRefs: [Unmanaged<ColumnBuilder>] = []
    var scratch = GrowableBuffer<UInt8>(capacity: 256)
    var rereading: Set<Int>?
    var lineCounter = (offset: 0, line: 1)
    var expectedRows = 1024
    /// Set when the file has more keys than `JSONReader.keyLimit` and no plan says which.
    var tooManyKeys = false
    /// With a plan: the column of the fields whose keys are not columns, and their text.
    var otherColumn: Int?
    var otherText = GrowableBuffer<UInt8>(capacity: 256)

    init(file: InputFile, position: Int, options: LoadOptions) {
        self.file = file
        self.bytes = file.bytes
        utf8 = UTF8Validator(bytes: file.bytes, from: position, collectAll: options.lenient)
        self.position = position
        self.start = position
        end = file.bytes.count
        nextRelease = position + (16 << 20)
        nextCheck = position + (1 << 20)
        self.options = options
        expectedRows = max(1024, bytes.count / 200)
        if let plan = options.jsonColumns {
            let name = Array(plan.otherColumn.utf8)
            otherColumn = name.withUnsafeBufferPointer { addColumn($0) }
        }
    }

    /// A new column for `key`.
    mutating func addColumn(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let column = keys.add(key)
        let builder = newBuilder(named: String(decoding: key, as: UTF8.self))
        builders.append(builder)
        builderRefs.append(Unmanaged.passUnretained(builder))
        filledStamp.append(0)
        return column
    }

    /// Counts the second half's records as this scanner's (its columns were absorbed).
    mutating func absorbRows(of other: JSONScanner) {
        rowCount += other.rowCount
    }

    mutating func adopt(builders: [ColumnBuilder], keys: JSONKeyTable) {
        self.builders = builders
        self.keys = keys
        builderRefs = builders.map { Unmanaged.passUnretained($0) }
        filledStamp = Array(repeating: 0, count: builders.count)
    }

    // MARK: Helpers

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func found(_ source: SourceText) -> String { source.describe(at: position) }

    func error(expected: String, source: SourceText, at offset: Int? = nil) -> Diagnostic {
        LoadErrors.json(source.location(at: offset ?? position), expected: expected, found: source.describe(at: offset ?? position))
    }

    /// Line of `offset`, counted forward from the last call (offsets only grow).
    mutating func line(at offset: Int) -> Int {
        var (from, line) = lineCounter
        if offset < from { (from, line) = (0, 1) }
        for i in from..<offset where bytes[i] == UInt8(ascii: "\n") { line += 1 }
        lineCounter = (offset, line)
        return line
    }
}
