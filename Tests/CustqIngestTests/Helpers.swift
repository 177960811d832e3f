import CustqDiagnostics
import CustqIngest
import CustqRender
import CustqStore

/// Loads `text` as if it were the file `name`.
func load(_ text: String, name: String = "t.csv", options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
    try DataLoader.load(contents: Array(text.utf8), path: name, options: options)
}

func load(bytes: [UInt8], name: String = "t.csv", options: LoadOptions = LoadOptions()) throws(Diagnostic) -> LoadResult {
    try DataLoader.load(contents: bytes, path: name, options: options)
}

/// The rendered error of loading `text`, or nil when it loads.
func loadError(_ text: String, name: String = "t.csv", options: LoadOptions = LoadOptions()) -> String? {
    loadError(bytes: Array(text.utf8), name: name, options: options)
}

func loadError(bytes: [UInt8], name: String = "t.csv", options: LoadOptions = LoadOptions()) -> String? {
    do {
        _ = try DataLoader.load(contents: bytes, path: name, options: options)
        return nil
    } catch {
        return DiagnosticRenderer.render(error)
    }
}

extension Table {
    /// Column types by name, in order.
    var types: [String] { columns.map { "\($0.name):\($0.type.displayName)" } }

    /// Every cell as exact text (nil for null), row by row.
    var cells: [[String?]] {
        (0..<rowCount).map { row in columns.map { ValueText.exact($0, row: row) } }
    }

    func values(_ name: String) -> [String?] {
        guard let column = column(named: name) else { return [] }
        return (0..<rowCount).map { ValueText.exact(column, row: $0) }
    }
}
