/// Where a table's rows are when they are not in memory: a database that runs statements.
/// A table with a row source holds its columns' names and types and no values; what custq
/// needs of its rows (a query's answer, the facts the customer model reads) is asked of the
/// source in its own SQL.
public protocol RowSource: AnyObject, Sendable {
    /// Where the rows are, for messages: `postgresql://host:port/database`, no password.
    var location: String { get }
    /// The SQL dialect the source speaks (`postgres`).
    var dialectName: String { get }
    /// Runs one statement there and returns its rows as a table, each column typed as the
    /// database types it. `shouldStop` is asked while it runs; when it says yes the
    /// statement is cancelled on the server and `RowSourceError.cancelled` thrown.
    func rows(_ sql: String, shouldStop: (@Sendable () -> Bool)?) throws(RowSourceError) -> Table
}

/// A statement the row source did not answer: its message, and where in the statement the
/// problem is when the database says (a UTF-8 byte offset).
public struct RowSourceError: Error, Sendable, Equatable {
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The byte offset in the statement the database pointed at.
    public var position: Int?
    public var wasCancelled = false

    public init(_ message: String, detail: String? = nil, hint: String? = nil, position: Int? = nil) {
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
    }

    public static var cancelled: RowSourceError {
        var error = RowSourceError("cancelled: the server stopped the statement")
        error.wasCancelled = true
        return error
    }
}
