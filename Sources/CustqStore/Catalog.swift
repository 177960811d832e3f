/// The loaded tables of a session, in load order, looked up by name ignoring case.
public struct Catalog: Sendable {
    public private(set) var tables: [Table] = []

    public init() {}

    /// Adds a table, replacing one of the same name. Returns true when it replaced one.
    @discardableResult
    public mutating func add(_ table: Table) -> Bool {
        if let index = index(of: table.name) {
            tables[index] = table
            return true
        }
        tables.append(table)
        return false
    }

    /// The table with that alias (an alias wins over another table's own name: `.orders
    /// sales` makes sales the orders even beside a table named orders), else the table with
    /// this name.
    public func table(named name: String) -> Table? {
        let lowered = name.lowercased()
        if let player = tables.first(where: { $0.alias?.lowercased() == lowered }) { return player }
        return index(of: name).map { tables[$0] }
    }

    /// Removes the table with this name, if loaded.
    public mutating func remove(named name: String) {
        if let index = index(of: name) { tables.remove(at: index) }
    }

    /// Replaces a loaded table of the same name in place (aliases or added columns set after loading).
    public mutating func update(_ table: Table) {
        if let index = index(of: table.name) { tables[index] = table }
    }

    public var tableNames: [String] { tables.map(\.name) }

    private func index(of name: String) -> Int? {
        let lowered = name.lowercased()
        return tables.firstIndex { $0.name.lowercased() == lowered }
    }
}
