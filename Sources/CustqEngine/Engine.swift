import CustqDiagnostics
import CustqLanguage
import CustqStore

/// Runs statements against the loaded tables: the session state (tables, definitions)
/// and the entry point from the shell.
public final class Engine {
    public var catalog = Catalog()
    public private(set) var definitions: [String: Definition] = [:]
    /// The table queries run on without `from`; by default `customers`, else the first loaded.
    public var defaultTableName: String?
    /// Asked between the steps of a query; true stops it with `interruptedMessage`.
    public var shouldStop: (@Sendable () -> Bool)?
    /// The as-of date (`.asof`): what `today()` returns; nil means the real date.
    public var asOf: Int32?

    public static let interruptedMessage = "interrupted"
    public static let defaultKeyColumn = "customer_id"
    /// The column that relates tables for roll-ups and lookups (`.link COLUMN`).
    public var keyColumn = Engine.defaultKeyColumn
    /// Table relations built by roll-ups, reused across queries.
    let relations = RelationCache()
    private var loadingPrelude = false
    private var latestOrderCache: (column: ObjectIdentifier, day: Int32?)?

    /// The as-of date in use: `.asof`, else the latest order date loaded, else today.
    public var asOfDay: Int32 { asOf ?? latestOrderDay ?? Evaluator.currentDay() }

    /// The latest `order_date` of a loaded `orders` table, if there is one (remembered while
    /// that column is unchanged: every query asks for it).
    public var latestOrderDay: Int32? {
        guard let orders = catalog.table(named: "orders"), let column = orders.column(named: "order_date"),
              case .date(let days) = column.values else { return nil }
        if let cached = latestOrderCache, cached.column == ObjectIdentifier(days) { return cached.day }
        var latest: Int32?
        defer { latestOrderCache = (ObjectIdentifier(days), latest) }
        days.withUnsafeBufferPointer { days in
            for row in 0..<days.count where !column.isNull(row) {
                if latest == nil || days[row] > latest! { latest = days[row] }
            }
        }
        return latest
    }

    /// What a definition is on the loaded data.
    public enum DefinitionStatus: Equatable, Sendable {
        /// A value per row of the table.
        case perRow
        /// An aggregate over a group of rows.
        case measure
        /// Cannot be computed here, and why (e.g. "unknown column 'orders_count'").
        case unusable(String)
    }

    /// Binds a definition against the default table (once) to say what it is there.
    public func status(of definition: Definition) -> DefinitionStatus {
        guard let table = defaultTable else { return .unusable("no table loaded") }
        var binder = Binder(table: table, definitions: definitions, source: definition.source, defining: definition.name)
        binder.others = catalog.tables.filter { $0.name.lowercased() != table.name.lowercased() }
        binder.keyColumn = keyColumn
        do {
            return try binder.bind(definition.expression, allowAggregates: true).usesAggregates ? .measure : .perRow
        } catch {
            return .unusable(error.message)
        }
    }

    /// The table queries run on without `from`, if any is loaded.
    public var defaultTable: Table? {
        try? table(for: Query(form: .describe(columns: [])), range: SourceRange(0, 0))
    }

    /// Loads the built-in metric library (definitions written in custq's own language).
    public func loadPrelude() throws(LanguageError) {
        loadingPrelude = true
        defer { loadingPrelude = false }
        for piece in StatementSplitter.statements(of: Prelude.source) {
            do {
                _ = try run(piece.text)
            } catch {
                throw LanguageError("in the built-in metrics, line \(piece.line): " + error.message, error.range,
                                    help: error.help, notes: error.notes)
            }
        }
    }

    public init() {}

    /// Parses and runs every statement in `source`, stopping at the first error.
    public func run(_ source: String) throws(LanguageError) -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for statement in try Parser.parse(source) { outcomes.append(try run(statement, source: source)) }
        return outcomes
    }

    func run(_ statement: Statement, source: String) throws(LanguageError) -> StatementOutcome {
        switch statement.kind {
        case .define(let name, let nameRange, let expression, let about):
            return try define(name, nameRange: nameRange, expression: expression, about: about, source: source)
        case .query(let query):
            let table = try table(for: query, range: statement.range)
            do {
                var runner = QueryRunner(table: table, definitions: definitions, source: source)
                runner.shouldStop = shouldStop
                runner.today = asOfDay
                runner.others = catalog.tables.filter { $0.name.lowercased() != table.name.lowercased() }
                runner.relations = relations
                runner.keyColumn = keyColumn
                return .result(try runner.run(query))
            } catch let error as LanguageError {
                throw error
            } catch EvaluationError.overflow {
                throw EngineErrors.overflow(at: statement.range)
            } catch {
                throw LanguageError(Self.interruptedMessage, statement.range)
            }
        }
    }

    func table(for query: Query, range: SourceRange) throws(LanguageError) -> Table {
        if let (name, nameRange) = query.table {
            guard let table = catalog.table(named: name) else {
                throw EngineErrors.unknownTable(name, at: nameRange, known: catalog.tableNames)
            }
            return table
        }
        if let name = defaultTableName, let table = catalog.table(named: name) { return table }
        if let customers = catalog.table(named: "customers") { return customers }
        guard let first = catalog.tables.first else { throw EngineErrors.noTable(at: range) }
        return first
    }

    private func define(_ name: String, nameRange: SourceRange, expression: Expr, about: DefinitionText,
                        source: String) throws(LanguageError) -> StatementOutcome {
        if Grammar.aggregates[name.lowercased()] != nil || Grammar.functions[name.lowercased()] != nil {
            throw LanguageError("'\(name)' is a built-in function and cannot be redefined", nameRange)
        }
        var definition = Definition(name: name, expression: expression, source: source)
        definition.about = about
        definition.isBuiltIn = loadingPrelude
        var trial = definitions
        trial[name.lowercased()] = definition
        var isAggregate = false
        // Check the definition against the default table when there is one, so mistakes
        // show now rather than at first use; cycles are always checked.
        if let table = try? self.table(for: Query(form: .describe(columns: [])), range: nameRange) {
            var binder = Binder(table: table, definitions: trial, source: source, defining: name)
            binder.others = catalog.tables.filter { $0.name.lowercased() != table.name.lowercased() }
            binder.keyColumn = keyColumn
            isAggregate = try binder.bind(expression, allowAggregates: true).usesAggregates
        }
        let replaced = definitions[name.lowercased()] != nil
        definitions[name.lowercased()] = definition
        return .defined(name: name, isAggregate: isAggregate, replaced: replaced)
    }
}
