import CustqStore

/// What binding and evaluating one statement share, set once by the engine: the loaded
/// tables and how they relate, the as-of date, and how to tell that the user stopped it.
/// A bound expression names the other tables it reads (roll-ups, lookups); they are found
/// here when it runs.
struct StatementContext: @unchecked Sendable {
    /// Every table the statement can read.
    var tables: [Table] = []
    /// The column that relates tables (`.link COLUMN` changes it).
    var keyColumn = Engine.defaultKeyColumn
    /// Pairs of tables related through columns of their own (`.link orders.order_id =
    /// payments.order_id`); other pairs relate through `keyColumn`.
    var pairLinks: [PairLink] = []
    /// Relations and key uniqueness kept from earlier statements (nil: computed each time).
    var relations: RelationCache?
    /// The day `today()` returns: the as-of date.
    var today = Evaluator.currentDay()
    /// An `.asof` date: roll-ups over the orders leave out orders after it.
    var ordersCutoff: Int32?
    /// Asked between steps and inside long kernels; true stops the statement (Ctrl-C).
    var shouldStop: (@Sendable () -> Bool)?

    /// The tables other than `table`: what its roll-ups and lookups can read.
    func tables(besides table: Table) -> [Table] {
        tables.filter { $0.name.lowercased() != table.name.lowercased() }
    }

    /// The same context with `table` among its tables, in place of one of its name (a
    /// roll-up's own definitions may look back at the table it is computed for).
    func with(_ table: Table) -> StatementContext {
        var context = self
        context.tables = tables(besides: table) + [table]
        return context
    }

    /// The table a bound expression named. It was bound in this context, so it is here.
    func table(named name: String) -> Table {
        guard let table = tables.first(where: { $0.name == name }) else {
            preconditionFailure("a statement bound against table '\(name)' ran without it")
        }
        return table
    }

    /// The columns that relate `table` to `other`: a pair's own, else the key column.
    func keyColumns(from table: Table, to other: Table) -> (here: String, there: String) {
        for link in pairLinks {
            if table.answers(to: link.tables.0), other.answers(to: link.tables.1) { return (link.columns.0, link.columns.1) }
            if table.answers(to: link.tables.1), other.answers(to: link.tables.0) { return (link.columns.1, link.columns.0) }
        }
        return (keyColumn, keyColumn)
    }
}
