/// A loaded table: named columns of equal length.
public struct Table: Sendable {
    public var name: String
    public private(set) var columns: [Column]
    public let rowCount: Int
    /// Where the table came from (a file path), for messages.
    public var source: String
    /// Another name the table answers to, besides its own. The store only keeps it; the
    /// layer above decides what it means (the customer model names the table that plays
    /// `orders` this way).
    public var alias: String?
    /// Other names for columns, lowercased, each mapped to a column's own name. Looked up
    /// after the table's real names, so a real column always wins.
    public var columnAliases: [String: String] = [:]
    /// How the file was read when the loader had to decide (`read as GB18030`,
    /// `2 survey header rows`, `3 footer lines left out`), for `.schema`.
    public var notes: [String] = []
    /// Columns added after loading, not read from the source (the layer above adds and
    /// recomputes them); `withoutAddedColumns` is the table as it was read.
    public var addedColumns: Set<String> = []
    /// Where the rows are when they are not here (a database table): then the table has
    /// its columns' names and types and no values.
    public var rowsElsewhere: (any RowSource)?

    public init(name: String, columns: [Column], rowCount: Int, source: String = "") {
        precondition(columns.allSatisfy { $0.count == rowCount }, "every column needs rowCount values")
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.source = source
        lookup = ColumnIndex(columns)
    }

    /// Column numbers by name and by lowercased name (the first of each), made once: names
    /// are looked up at every mention in a statement.
    private var lookup: ColumnIndex

    /// The column with this name: exact match first, then ignoring case.
    public func column(named name: String) -> Column? {
        columnIndex(named: name).map { columns[$0] }
    }

    public func columnIndex(named name: String) -> Int? {
        if let exact = lookup.exact[name] { return exact }
        let lowered = name.lowercased()
        if let folded = lookup.folded[lowered] { return folded }
        guard let actual = columnAliases[lowered] else { return nil }
        return lookup.exact[actual]
    }

    /// Whether `name` names this table: its own name or its alias, ignoring case.
    public func answers(to name: String) -> Bool {
        let lowered = name.lowercased()
        return self.name.lowercased() == lowered || alias?.lowercased() == lowered
    }

    /// The table with column `index` under another name.
    public func renamingColumn(_ index: Int, to name: String) -> Table {
        guard columns.indices.contains(index) else { return self }
        var copy = self
        copy.columns[index].name = name
        copy.lookup = ColumnIndex(copy.columns)
        return copy
    }

    /// The table with one more column at the end.
    public func adding(_ column: Column) -> Table {
        var table = Table(name: name, columns: columns + [column], rowCount: rowCount, source: source)
        table.alias = alias
        table.columnAliases = columnAliases
        table.notes = notes
        table.addedColumns = addedColumns
        table.rowsElsewhere = rowsElsewhere
        return table
    }

    /// The table with column `index` replaced by `column` (of the same length).
    public func replacing(column index: Int, with column: Column) -> Table {
        var replaced = columns
        replaced[index] = column
        var table = Table(name: name, columns: replaced, rowCount: rowCount, source: source)
        table.alias = alias
        table.columnAliases = columnAliases
        table.notes = notes
        table.addedColumns = addedColumns
        table.rowsElsewhere = rowsElsewhere
        return table
    }

    /// The table with column `index` called `name`.
    public func renaming(column index: Int, to name: String) -> Table {
        var renamed = columns
        renamed[index].name = name
        var table = Table(name: self.name, columns: renamed, rowCount: rowCount, source: source)
        table.alias = alias
        table.columnAliases = columnAliases
        table.notes = notes
        table.addedColumns = addedColumns
        table.rowsElsewhere = rowsElsewhere
        return table
    }

    /// The table without the columns added after loading.
    public var withoutAddedColumns: Table {
        guard !addedColumns.isEmpty else { return self }
        var table = Table(name: name, columns: columns.filter { !addedColumns.contains($0.name) }, rowCount: rowCount, source: source)
        table.alias = alias
        table.columnAliases = columnAliases
        table.notes = notes
        table.rowsElsewhere = rowsElsewhere
        return table
    }

    public var columnNames: [String] { columns.map(\.name) }
}

private struct ColumnIndex: Sendable {
    let exact: [String: Int]
    let folded: [String: Int]

    init(_ columns: [Column]) {
        var exact: [String: Int] = [:], folded: [String: Int] = [:]
        for (number, column) in columns.enumerated() {
            if exact[column.name] == nil { exact[column.name] = number }
            let lowered = column.name.lowercased()
            if folded[lowered] == nil { folded[lowered] = number }
        }
        self.exact = exact
        self.folded = folded
    }
}
