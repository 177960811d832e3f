import CustqDiagnostics
import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.orders` roles and conditions written as expressions of the orders.
extension Engine {
    /// The table of this name as it was read: a table prepared from an `.orders` statement
    /// (some rows kept, columns computed or renamed) comes back as loaded, unless it was
    /// loaded again since.
    func tableAsLoaded(_ name: String) -> Table? {
        guard let current = catalog.tables.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        if let kept = ordersAsLoaded, kept.table.name.lowercased() == name.lowercased(), !current.columns.isEmpty,
           RelationCache.storage(current.columns[0]) === RelationCache.storage(kept.prepared) {
            return kept.table
        }
        return current.withoutAddedColumns
    }

    /// `.orders TABLE … where CONDITION`: only the rows that meet it are the orders (the
    /// table as loaded comes back with `.orders TABLE` without a condition).
    func filtered(_ table: Table, by filter: String) throws(Diagnostic) -> Table {
        let expression = try orderExpression(filter, on: table, as: "where")
        let rows: [Int32]
        do {
            var binder = definitionBinder(on: table, definitions: definitions, source: expression.source, defining: nil)
            let bound = try binder.bind(expression.expr, allowAggregates: false)
            guard bound.type == .boolean || bound.type == .null else {
                throw LanguageError("where needs a condition (true or false)", expression.expr.range)
            }
            let evaluator = Evaluator(table: table, rows: nil, context: binder.context)
            rows = try evaluator.select(bound)
        } catch let error as LanguageError {
            throw expression.shown(error)
        } catch {
            throw Diagnostic.error("the condition could not be evaluated on \(table.name)")
        }
        let picks = rows.map { Int($0) }
        let columns = table.columns.map { Evaluator.gathered($0, rows: picks) }
        var filtered = Table(name: table.name, columns: columns, rowCount: picks.count, source: table.source + " where " + filter)
        filtered.notes = table.notes
        return filtered
    }

    /// A role given as an expression of the orders (`Quantity * UnitPrice`,
    /// `customers.customer_unique_id`, `sum(order_items.price)`): its value on every row, and
    /// the table and column when it is a lookup of one column of another table.
    func roleColumn(_ formula: String, role: String, on table: Table) throws(Diagnostic) -> (Column, lookup: (table: String, column: String)?) {
        let expression = try orderExpression(formula, on: table, as: role)
        do {
            var binder = definitionBinder(on: table, definitions: definitions, source: expression.source, defining: role)
            let bound = try binder.bind(expression.expr, allowAggregates: false)
            let evaluator = Evaluator(table: table, rows: nil, context: binder.context)
            let values = try evaluator.evaluate(bound)
            var lookup: (String, String)?
            if case .qualified(let other, let column) = expression.expr.kind { lookup = (other, column) }
            return (values.column(named: role), lookup)
        } catch let error as LanguageError {
            throw expression.shown(error)
        } catch {
            throw Diagnostic.error("\(role) = \(formula) could not be computed on \(table.name)")
        }
    }

    /// An expression written in an `.orders` statement, parsed, with messages that point
    /// into it as the user wrote it.
    func orderExpression(_ text: String, on table: Table, as role: String)
        throws(Diagnostic) -> (expr: Expr, source: String, shown: (LanguageError) -> Diagnostic) {
        let prefix = "define custq_order_role = "
        let source = prefix + text
        let shown = { (error: LanguageError) -> Diagnostic in
            let offset = prefix.utf8.count
            let range = SourceRange(max(0, error.range.start - offset), max(0, error.range.end - offset))
            return LanguageError(error.message, range, help: error.help, notes: error.notes).diagnostic(in: text, file: nil)
        }
        let parsed: [Statement]
        do {
            parsed = try Parser.parse(source)
        } catch {
            throw shown(error)
        }
        guard parsed.count == 1, case .define(_, _, let expression, _, _) = parsed[0].kind else {
            throw Diagnostic.error(".orders … \(role) takes one expression of \(table.name)",
                                   help: role == "where" ? "e.g. .orders \(table.name) where order_status != 'canceled'"
                                                         : "e.g. .orders \(table.name) amount = Quantity * UnitPrice")
        }
        return (expression, source, shown)
    }
}
