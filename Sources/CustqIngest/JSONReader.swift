import CustqDiagnostics
import CustqStore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a top-level JSON array of objects, or NDJSON (one object per line), into a table.
///
/// Keys become columns (the union over all records; a missing key is null). Numbers are
/// integers or decimals, `true`/`false` booleans, strings stay strings unless every value
/// is a date or timestamp, and nested objects and arrays are kept as their JSON text.
/// A column whose values mix kinds is widened (integer -> decimal -> string) with a warning.
struct JSONReader {
    static let maxDepth = 512

    let file: InputFile
    let options: LoadOptions
    let tableName: String

    private var bytes: UnsafeBufferPointer<UInt8> { file.bytes }
    private var source: SourceText { file.source }

    /// More distinct keys than this, and keys that appear in few records stop being columns
    /// of their own (a file whose every record has its own key would otherwise need keys ×
    /// records cells: 3.6 GB for a 338 KB file).
    static let keyLimit = 1000

    func read() throws(Diagnostic) -> LoadResult {
        let start = CSVReader.byteOrderMarkLength(bytes)
        var options = self.options
        var first: JSONScanner
        var warnings: [Diagnostic] = []
        if let both = try readInTwo(from: start) {
            first = both
        } else {
            first = JSONScanner(file: file, position: start, options: options)
            do {
                try first.run(rereading: nil, source: source)
            } catch {
                guard first.tooManyKeys else { throw error }
                // Count each key's records, keep the frequent ones as columns, and read again.
                var counter = JSONScanner(file: file, position: start, options: options)
                let (counts, records) = try counter.countKeys(source: source)
                let frequent = counts.filter { $0.value * 100 >= records }.sorted { $0.value > $1.value }
                    .prefix(Self.keyLimit).map(\.key)
                var other = "other_fields"
                while frequent.contains(where: { $0.elementsEqual(other.utf8) }) { other += "_" }
                options.jsonColumns = JSONColumnPlan(columns: Set(frequent), otherColumn: other)
                warnings.append(LoadErrors.rareKeys(file.path, rare: counts.count - frequent.count, all: counts.count, column: other))
                first = JSONScanner(file: file, position: start, options: options)
                try first.run(rereading: nil, source: source)
            }
        }
        if first.rowCount == 0 && first.skippedLines.isEmpty { throw LoadErrors.noRecords(file.path) }
        let rereads = first.builders.indices.filter { first.builders[$0].needsTextReread }
        if !rereads.isEmpty {
            for index in rereads { first.builders[index].beginTextReread() }
            var second = JSONScanner(file: file, position: CSVReader.byteOrderMarkLength(bytes), options: options)
            second.adopt(builders: first.builders, keys: first.keys)
            try second.run(rereading: Set(rereads), source: source)
        }
        var mixedKinds: [String: Diagnostic] = [:]
        for builder in first.builders {
            if let mixed = builder.mixedKinds {
                let location = first.textRowStarts[builder.name].map { source.location(at: $0) }
                mixedKinds[builder.name] = mixed.bigInteger ? LoadErrors.bigIntegers(column: builder.name, at: location)
                    : LoadErrors.mixedTypes(file.path, column: builder.name, was: mixed.was.displayName, at: location)
            }
        }
        if let declared = options.columnTypes.keys.first(where: { name in
            !first.builders.contains { $0.name.lowercased() == name.lowercased() }
        }) {
            throw LoadErrors.unknownColumnOverride(file.path, column: declared, columns: first.builders.map(\.name))
        }
        var columns = first.builders.map { $0.build() }
        // The column of rare fields goes after the columns of their own.
        if let other = options.jsonColumns?.otherColumn, let index = columns.firstIndex(where: { $0.name == other }) {
            columns.append(columns.remove(at: index))
        }
        let table = Table(name: tableName, columns: columns, rowCount: first.rowCount, source: file.path)
        return LoadResult(table: table, format: .json, warnings: warnings, skippedLines: first.skippedLines,
                          mixedKinds: mixedKinds)
    }
}

extension JSONReader {
    /// Reads a large NDJSON file on two cores: the records of each half of the file, split
    /// at the start of a line near the middle, go to builders of their own, and the second
    /// half's columns are then appended to the first's. Any doubt gives nil and the file is
    /// read on one core: the first half did not end exactly where the second began (a
    /// record spanning lines), either half failed or met mixed kinds, or the halves' columns
    /// differ in names, order or kind. Errors are then reported by the one-core read, with
    /// their true line numbers. Measured: see the commit message.
    func readInTwo(from start: Int) throws(Diagnostic) -> JSONScanner? {
        guard let threshold = options.twoCoresFrom, bytes.count - start >= threshold, !options.lenient,
              options.columnTypes.isEmpty, sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 else { return nil }
        var first = start
        while first < bytes.count, bytes[first] == 0x20 || bytes[first] == 0x0A || bytes[first] == 0x0D || bytes[first] == 0x09 {
            first += 1
        }
        guard first < bytes.count, bytes[first] == UInt8(ascii: "{") else { return nil }   // an array: one core
        // The second half starts at a line that starts with a record, at or after the middle.
        var middle = max(start + 1, start + (bytes.count - start) / 2)
        while middle < bytes.count, !(bytes[middle - 1] == 0x0A && bytes[middle] == UInt8(ascii: "{")) { middle += 1 }
        guard middle < bytes.count else { return nil }
        var head = JSONScanner(file: file, position: start, options: options)
        head.end = middle
        var tail = JSONScanner(file: file, position: middle, options: options)
        tail.reportsProgress = false
        let tailBox = UncheckedBox(tail)
        let failed = Atomic<Bool>(false)
        let source = self.source
        let thread = BackgroundThread {
            do {
                try tailBox.value.run(rereading: nil, source: source)
            } catch {
                failed.store(true, ordering: .releasing)
            }
        }
        var headFailed = false
        do {
            try head.run(rereading: nil, source: source)
        } catch {
            headFailed = true
        }
        thread.join()
        if options.shouldStop?() == true { throw LoadErrors.interrupted(file.path) }
        guard !headFailed, !failed.load(ordering: .acquiring), head.position == middle else { return nil }
        tail = tailBox.value
        guard head.builders.map(\.name) == tail.builders.map(\.name) || tail.rowCount == 0 else { return nil }
        guard head.builders.indices.allSatisfy({ head.builders[$0].canAbsorb(tail.builders[$0]) }) else { return nil }
        for (mine, theirs) in zip(head.builders, tail.builders) { mine.absorb(theirs) }
        head.absorbRows(of: tail)
        return head
    }
}
