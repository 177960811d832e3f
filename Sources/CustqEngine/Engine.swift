import CustqLanguage
import CustqResult
import CustqStore
import CustqText

/// Runs statements against the loaded tables: the session state (tables, definitions)
/// and the entry point from the shell.
public final class Engine {
    public var catalog = Catalog() {
        didSet { relations.keep(onlyColumnsOf: catalog.tables) }
    }
    public private(set) var definitions: [String: Definition] = [:]
    /// The metric library's definitions, by lowercased name: what `undefine` brings back
    /// after a definition of yours replaced one.
    public private(set) var builtIns: [String: Definition] = [:]
    /// The table queries run on without `from`; by default `customers`, else the first loaded.
    public var defaultTableName: String?
    /// Asked between the steps of a query and inside long ones; true stops it with
    /// `EngineError.interrupted`.
    public var shouldStop: (@Sendable () -> Bool)?
    /// The as-of date (`.asof`): what `today()` returns; nil means the real date.
    public var asOf: Int32?

    public static let defaultKeyColumn = "customer_id"
    /// The table and columns order-based metrics read (a table may play the role; see OrderRoles).
    public static let ordersTableName = "orders"
    public static let orderDateColumn = "order_date"
    public static let amountColumn = "amount"
    /// The date of each order that is a purchase (null for cancellations and returns).
    public static let purchaseDateColumn = "purchase_date"
    /// The column that relates tables for roll-ups and lookups (`.link COLUMN`).
    public var keyColumn = Engine.defaultKeyColumn
    /// Pairs of tables related through their own columns (`.link A.x = B.y`).
    public var pairLinks: [PairLink] = []
    /// Table relations built by roll-ups, reused across queries.
    let relations = RelationCache()
    private var loadingPrelude = false
    /// How many times a definition was replaced or removed (what define checks keep depends on it).
    private var definitionsChanged = 0
    private var keptDefineCheck: (state: String, usage: BindingUsage)?
    /// The storage of the key column a derived customers table was made from (see
    /// prepareOrders), held so that no column loaded later can be taken for it.
    var derivedCustomersKey: AnyObject?
    /// What preparing the orders decided about them (order lines, the computed amount,
    /// cancellations and returns), for `.orders`.
    public internal(set) var ordersModel: [OrdersReading] = []
    /// The order-lines model in use: the orders table's name, the model, and the table as
    /// the model read it (its columns' names for the SQL of the columns it adds).
    var orderLines: (orders: String, model: OrderLines, read: Table)?
    /// The predictive models fitted with `clv fit`, if any.
    public internal(set) var models: PredictiveModels?
    /// The last `.orders` statement: applied again whenever the orders are prepared (after
    /// every load), while its table is loaded.
    public internal(set) var ordersStatement: OrdersStatement?
    /// The orders table as loaded, while a statement's condition keeps some of its rows or
    /// its roles computed columns; `prepared` (the first column of the table made from it,
    /// kept so its storage stays its own) tells that table from the same file loaded again.
    var ordersAsLoaded: (table: Table, prepared: Column)?
    /// The customers table as loaded, while the customers are its people (see Engine+PersonKey).
    var customerRows: Table?
    /// Canonical names set with `.map canonical=COLUMN` (an empty column: no match).
    public var columnMap: [String: String] = [:]
    private var latestOrderCache: (column: ObjectIdentifier, day: Int32?)?
    private var lateOrdersCache: (column: ObjectIdentifier, day: Int32, key: String, late: Int)?

    /// The as-of date in use: `.asof`, else the latest order date loaded, else today.
    public var asOfDay: Int32 { asOf ?? latestOrderDay ?? Evaluator.currentDay() }

    /// Where the as-of date comes from.
    public var asOfSource: AsOfSource {
        asOf != nil ? .setWithAsOf : latestOrderDay != nil ? .latestOrderDate : .today
    }

    /// The note under a result that depends on the as-of date: which date, why, and how
    /// many orders after an `.asof` date were left out.
    public var asOfNote: ResultNote {
        .asOf(day: asOfDay, source: asOfSource, ordersLeftOut: ordersAfterAsOf)
    }

    /// How many orders of a customer are dated after an `.asof` date (they count for no
    /// customer metric; orders with no customer count for none anyway).
    /// (Remembered per order-date column and date: every query that reads the date says it.)
    public var ordersAfterAsOf: Int {
        guard let day = asOf, let orders = catalog.table(named: Self.ordersTableName),
              let column = orders.column(named: Self.orderDateColumn), case .date(let days) = column.values else { return 0 }
        if let cached = lateOrdersCache, cached.column == ObjectIdentifier(days), cached.day == day,
           cached.key == keyColumn { return cached.late }
        let key = orders.column(named: keyColumn)
        if orders.rowsElsewhere != nil {
            let late = ordersAfter(day, in: orders, date: column, key: key) ?? 0
            lateOrdersCache = (ObjectIdentifier(days), day, keyColumn, late)
            return late
        }
        let late = days.withUnsafeBufferPointer { days in
            var late = 0
            for row in 0..<days.count where days[row] > day && !column.isNull(row) && key?.isNull(row) != true { late += 1 }
            return late
        }
        lateOrdersCache = (ObjectIdentifier(days), day, keyColumn, late)
        return late
    }

    /// The latest `order_date` of a loaded `orders` table, if there is one (remembered while
    /// that column is unchanged: every query asks for it).
    public var latestOrderDay: Int32? {
        guard let orders = catalog.table(named: Self.ordersTableName), let column = orders.column(named: Self.orderDateColumn),
              case .date(let days) = column.values else { return nil }
        if let cached = latestOrderCache, cached.column == ObjectIdentifier(days) { return cached.day }
        var latest: Int32?
        defer { latestOrderCache = (ObjectIdentifier(days), latest) }
        if orders.rowsElsewhere != nil {
            latest = latestDay(in: orders, date: column)
            return latest
        }
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
        var binder = definitionBinder(on: table, definitions: definitions, source: definition.source, defining: definition.name)
        do {
            return try binder.bind(definition.expression, allowAggregates: true).usesAggregates ? .measure : .perRow
        } catch {
            return .unusable(error.message)
        }
    }

    /// The forms of a metric written with prefer: `prefer(a, prefer(b, c))` is a, b and c, in
    /// the order they are tried; any other expression is its own one form.
    public static func forms(of expression: Expr) -> [Expr] {
        guard case .call("prefer", let arguments, _) = expression.kind, arguments.count == 2 else { return [expression] }
        return forms(of: arguments[0]) + forms(of: arguments[1])
    }

    /// Whether a definition is a measure by its form alone, for one the loaded data cannot
    /// compute: an aggregate whose argument is not another table's (`count(frequency >= 2)`,
    /// `sum(count(responses.csat))`), or a measure by name. `count(orders)` and
    /// `sum(orders.amount)` are values per customer.
    public func isMeasureByForm(_ definition: Definition) -> Bool {
        var seen: Set<String> = [definition.name.lowercased()]
        func measure(_ expr: Expr) -> Bool {
            switch expr.kind {
            case .call(let name, let arguments, _) where name == "prefer" && arguments.count == 2:
                return measure(arguments[0])
            case .call(let name, let arguments, let star) where FunctionRegistry.named(name.lowercased())?.kind == .aggregate:
                if star || arguments.isEmpty { return true }
                switch arguments[0].kind {
                case .qualified: return false
                case .name(let table, _) where Binder.tableRoles.contains(table.lowercased()): return false
                default: return true
                }
            case .name(let name, _):
                let key = name.lowercased()
                guard let other = definitions[key], seen.insert(key).inserted else { return false }
                return measure(other.expression)
            case .call(let name, _, _) where definitions[name.lowercased()]?.parameters.isEmpty == false:
                // A function is a measure when its formula is, or a value given to it is.
                let key = name.lowercased()
                if seen.insert(key).inserted, let function = definitions[key], measure(function.expression) { return true }
                return expr.children.contains(where: measure)
            default:
                return expr.children.contains(where: measure)
            }
        }
        return measure(definition.expression)
    }

    /// Whether a definition, in the form the loaded data uses (prefer picks one), depends on
    /// the as-of date: it reads today(), or orders while `.asof` leaves some out.
    public func readsAsOfDate(_ definition: Definition) -> Bool {
        guard let table = defaultTable else { return definition.formula.contains("today()") }
        var binder = definitionBinder(on: table, definitions: definitions, source: definition.source, defining: definition.name)
        guard (try? binder.bind(definition.expression, allowAggregates: true)) != nil else { return false }
        return binder.usage.readsToday || (binder.usage.readsOrders && asOf != nil)
    }

    /// A binder for the definition `name` on `table`, seeing the other tables through the key.
    func definitionBinder(on table: Table, definitions: [String: Definition], source: String,
                                  defining name: String?) -> Binder {
        var binder = Binder(table: table, definitions: definitions, source: source, defining: name)
        // Binding reads no dates: the as-of date (which reads the orders) is left to queries.
        binder.context = StatementContext(tables: catalog.tables, keyColumn: keyColumn, pairLinks: pairLinks,
                                          relations: relations).with(table)
        return binder
    }

    /// What every part of a statement shares: the loaded tables and how they relate, the
    /// as-of date, the orders it leaves out, and the interruption check.
    var statementContext: StatementContext {
        StatementContext(tables: catalog.tables, keyColumn: keyColumn, pairLinks: pairLinks, relations: relations,
                         today: asOfDay, ordersCutoff: asOf, shouldStop: shouldStop)
    }

    /// The table queries run on without `from`, if any is loaded.
    public var defaultTable: Table? {
        try? table(for: Query(form: .describe(columns: [])), range: SourceRange(0, 0))
    }

    /// Loads the built-in metric library (definitions written in custq's own language).
    /// `source`: another part of the library (`Prelude.cutPointScores`), replacing definitions.
    public func loadPrelude(_ source: String = Prelude.source) throws(EngineError) {
        loadingPrelude = true
        defer { loadingPrelude = false }
        for piece in StatementSplitter.statements(of: source) {
            do {
                _ = try run(piece.text)
            } catch {
                let inner = error.languageError
                throw .statement(LanguageError("in the built-in metrics, line \(piece.line): " + inner.message, inner.range,
                                               help: inner.help, notes: inner.notes))
            }
        }
    }

    public init() {}

    /// Parses and runs every statement in `source`, stopping at the first error (on a
    /// thread with a deep stack: see DeepStack).
    public func run(_ source: String) throws(EngineError) -> [StatementOutcome] {
        var outcome: Result<[StatementOutcome], EngineError> = .success([])
        DeepStack.run {
            do throws(EngineError) {
                let statements = try binding { () throws(LanguageError) in try Parser.parse(source) }
                var outcomes: [StatementOutcome] = []
                for statement in statements { outcomes.append(try self.run(statement, source: source)) }
                outcome = .success(outcomes)
            } catch {
                outcome = .failure(error)
            }
        }
        return try outcome.get()
    }

    func run(_ statement: Statement, source: String) throws(EngineError) -> StatementOutcome {
        switch statement.kind {
        case .define(let name, let nameRange, let expression, let about, let parameters):
            return try binding { () throws(LanguageError) in
                try define(name, nameRange: nameRange, expression: expression, about: about, parameters: parameters, source: source)
            }
        case .undefine(let name, let nameRange):
            return try binding { () throws(LanguageError) in try undefine(name, at: nameRange) }
        case .quit:
            return .quit
        case .help(let topic):
            return .help(topic: topic)
        case .metrics:
            return .metrics(metricSummaries)
        case .explain(let name, _):
            do {
                return .explained(.success(try explanation(of: name)))
            } catch {
                return .explained(.failure(error))
            }
        case .model(let model):
            return .result(try run(model, at: statement.range))
        case .query(let query):
            let runner = try runner(for: query, in: statement, source: source)
            if let rows = runner.table.rowsElsewhere {
                return .result(try runElsewhere(query, runner: runner, source: rows, statement: statement, source: source))
            }
            return .result(try runner.run(query))
        }
    }

    /// What runs a query: its table, the definitions, and the statement's context.
    func runner(for query: Query, in statement: Statement, source: String) throws(EngineError) -> QueryRunner {
        let table = try binding { () throws(LanguageError) in try self.table(for: query, range: statement.range) }
        var runner = QueryRunner(table: table, definitions: definitions, source: source, range: statement.range)
        runner.context = statementContext
        runner.asOfSource = asOfSource
        runner.ordersLeftOut = ordersAfterAsOf
        return runner
    }

    /// The bound plan of a query (one statement), without running it.
    func plan(_ source: String) throws(EngineError) -> BoundQuery {
        let statements = try binding { () throws(LanguageError) in try Parser.parse(source) }
        guard statements.count == 1, let statement = statements.first, case .query(let query) = statement.kind else {
            throw .statement(LanguageError("a plan is of one query", SourceRange(0, source.utf8.count)))
        }
        return try runner(for: query, in: statement, source: source).bind(query)
    }

    func table(for query: Query, range: SourceRange) throws(LanguageError) -> Table {
        if query.form.readsOrders, query.table == nil {
            guard let orders = catalog.table(named: Self.ordersTableName) else {
                throw LanguageError("\(query.form.headWord) reads orders, and no orders table is loaded", range,
                                    help: "load one (e.g. .load orders.csv), or name a loaded table with .orders TABLE")
            }
            return orders
        }
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
                        parameters: [String], source: String) throws(LanguageError) -> StatementOutcome {
        if FunctionRegistry.named(name.lowercased()) != nil {
            throw LanguageError("'\(name)' is a built-in function and cannot be redefined", nameRange)
        }
        var definition = Definition(name: name, expression: expression, source: source)
        definition.about = about
        definition.parameters = parameters
        definition.isBuiltIn = loadingPrelude
        let key = name.lowercased()
        let previous = definitions[key]
        if previous != nil { definitionsChanged += 1 }
        definitions[key] = definition
        if !parameters.isEmpty {
            do throws(LanguageError) {
                try checkFunction(definition)
            } catch {
                definitions[key] = previous
                throw error
            }
            if loadingPrelude { builtIns[key] = definition }
            return .defined(name: name, isAggregate: isMeasureByForm(definition), replaced: previous != nil)
        }
        var isAggregate = false
        // Check the definition against the default table when there is one, so mistakes
        // show now rather than at first use. The definitions it uses were checked when they
        // were defined: their bindings are kept from one define to the next while nothing
        // they could depend on changes, so a chain of n definitions is checked in n steps.
        if let table = try? self.table(for: Query(form: .describe(columns: [])), range: nameRange) {
            var binder = definitionBinder(on: table, definitions: definitions, source: source, defining: name)
            binder.usage = defineCheckUsage()
            binder.aggregateList = -1
            do {
                isAggregate = try binder.bind(expression, allowAggregates: true).usesAggregates
            } catch {
                // A definition of the orders' rows (`define amount = Quantity * UnitPrice`)
                // binds on the orders: roll-ups over them read it.
                var onOrders = false
                if let orders = catalog.table(named: Self.ordersTableName), orders.name != table.name {
                    var ordersBinder = definitionBinder(on: orders, definitions: definitions, source: source, defining: name)
                    ordersBinder.aggregateList = -1
                    onOrders = (try? ordersBinder.bind(expression, allowAggregates: false)) != nil
                }
                if !onOrders {
                    definitions[key] = previous
                    throw error
                }
            }
        }
        if loadingPrelude { builtIns[key] = definition }
        return .defined(name: name, isAggregate: isAggregate, replaced: previous != nil)
    }

    /// A function's expression is bound where it is used, with the values given there; at
    /// `define` its names are checked: each a parameter, a column of a loaded table, a
    /// definition or a table's column (`responses.csat`), and each call a function.
    private func checkFunction(_ definition: Definition) throws(LanguageError) {
        let parameters = Set(definition.parameters.map { $0.lowercased() })
        let columns = Set(catalog.tables.flatMap { $0.columnNames.map { $0.lowercased() } })
        var problem: LanguageError?
        func walk(_ expr: Expr) {
            guard problem == nil else { return }
            switch expr.kind {
            case .name(let name, _):
                let lowered = name.lowercased()
                if parameters.contains(lowered) || definitions[lowered] != nil || catalog.tables.isEmpty || columns.contains(lowered) { break }
                let candidates = definition.parameters + catalog.tables.flatMap(\.columnNames) + definitions.values.map(\.name)
                problem = LanguageError("\(definition.name) reads '\(name)', which is no parameter, column or definition", expr.range,
                                        help: EditDistance.closest(to: name, in: candidates).map { "did you mean \($0)?" }
                                            ?? "its parameters are \(definition.parameters.joined(separator: ", "))")
            case .call(let name, _, _):
                let lowered = name.lowercased()
                if FunctionRegistry.named(lowered) == nil, definitions[lowered]?.parameters.isEmpty != false {
                    problem = EngineErrors.unknownFunction(name, at: expr.range)
                }
            default: break
            }
            expr.children.forEach(walk)
        }
        walk(definition.expression)
        if let problem { throw problem }
    }

    /// The bindings kept between `define` checks, dropped when anything they may depend on
    /// changed: a definition replaced or removed, the tables, the key, the as-of date.
    private func defineCheckUsage() -> BindingUsage {
        let state = "\(definitionsChanged)|\(keyColumn)|\(asOf.map(String.init) ?? "")|"
            + catalog.tables.map { "\($0.name):\($0.rowCount):\($0.columnNames.joined(separator: ","))" }.joined(separator: ";")
        if let kept = keptDefineCheck, kept.state == state { return kept.usage }
        let usage = BindingUsage()
        keptDefineCheck = (state, usage)
        return usage
    }

    /// Whether `name` is one of yours that replaced the metric library's definition.
    /// Drops a built-in definition a later load no longer makes (a spend model a new fit lacks).
    func removeBuiltIn(_ name: String) {
        guard definitions[name.lowercased()]?.isBuiltIn == true else { return }
        definitions[name.lowercased()] = nil
        definitionsChanged += 1
    }

    public func replacesBuiltIn(_ name: String) -> Bool {
        let key = name.lowercased()
        guard let current = definitions[key], !current.isBuiltIn else { return false }
        return builtIns[key] != nil
    }

    /// `undefine NAME`: a definition of yours goes; a built-in one it replaced comes back.
    private func undefine(_ name: String, at range: SourceRange) throws(LanguageError) -> StatementOutcome {
        let key = name.lowercased()
        guard let current = definitions[key] else {
            let known = definitions.values.map(\.name)
            throw LanguageError("nothing is defined as '\(name)'", range,
                                help: EditDistance.closest(to: name, in: known).map { "did you mean \($0)?" }
                                    ?? "metrics lists the definitions")
        }
        guard !current.isBuiltIn else {
            throw LanguageError("\(current.name) is the built-in definition: there is nothing of yours to undefine", range,
                                help: "define \(current.name) = … replaces it; explain \(current.name) shows it")
        }
        definitionsChanged += 1
        if let builtIn = builtIns[key] {
            definitions[key] = builtIn
            return .undefined(name: builtIn.name, restoredBuiltIn: true)
        }
        definitions[key] = nil
        return .undefined(name: current.name, restoredBuiltIn: false)
    }
}
