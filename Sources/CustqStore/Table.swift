/// A loaded table: named columns of equal length.
public struct Table: Sendable {
    public var name: String
    public private(set) var columns: [Column]
    public let rowCount: Int
    /// Where the table came from (a file path), for messages.
    public var source: String

    public init(name: String, columns: [Column], rowCount: Int, source: String = "") {
        precondition(columns.allSatisfy { $0.count == rowCount }, "every column needs rowCount values")
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.source = source
    }

    /// The column with this name: exact match first, then ignoring case.
    public func column(named name: String) -> Column? {
        columnIndex(named: name).map { columns[$0] }
    }

    public func columnIndex(named name: String) -> Int? {
        if let exact = columns.firstIndex(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lowered }
    }

    public var columnNames: [String] { columns.map(\.name) }
}
