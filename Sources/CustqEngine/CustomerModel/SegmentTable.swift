import CustqLanguage
import CustqResult

/// `rfm` and `abc by VALUE`: segment tables, each the aggregate query it stands for, written
/// in custq's own language (so its figures follow the metric library and a user's `define`).
/// The statement's own parts (groups, filter, order, limit, the value) go into that query as
/// the expressions the user wrote; the rest is parsed from the text below.
struct SegmentTable {
    let runner: QueryRunner

    /// The figures of each RFM segment; the segments in the library's order.
    static let rfmQuery = """
        count as customers, sum(100.0 / total(if(rfm_segment is null, 0, 1))) as `customers %`, \
        sum(frequency) as orders, sum(monetary) as revenue, \
        sum(100.0 * monetary / total(if(rfm_segment is null, 0, monetary))) as `revenue %`, \
        avg(recency_days) as `avg recency_days`, avg(frequency) as `avg frequency`, avg(monetary) as `avg monetary` \
        by rfm_segment where rfm_segment is not null order by min(rfm_segment_order)
        """

    /// The figures of each ABC class; `‹value›` stands for the value written after `abc by`.
    static let abcQuery = """
        count as customers, sum(100.0 / total(if(`‹value›` is null, 0, 1))) as `customers %`, \
        sum(`‹value›`) as value, sum(100.0 * `‹value›` / total(`‹value›`)) as `value %`, \
        min(`‹value›`) as `min value`, max(`‹value›`) as `max value` \
        by abc(`‹value›`, abc_a_share, abc_b_share) where `‹value›` is not null
        """
    static let valuePlaceholder = "‹value›"
    /// The names the rfm table reads (from the metric library, or your own definitions).
    static let rfmReads = ["rfm_segment", "rfm_segment_order", "frequency", "monetary", "recency_days"]

    /// The A and B limits are the definitions abc_a_share and abc_b_share (80 and 95 in the
    /// metric library); without them, abc's own defaults.
    static let limitNames = ["abc_a_share", "abc_b_share"]

    /// What a segment table's result gets beyond its aggregate list: where the template's
    /// words start (an error in them is shown on the whole statement), the first column's
    /// name, the note and the count of customers it stands for.
    struct Finish {
        let templateStart: Int
        let statement: SourceRange
        let form: Form

        enum Form {
            case rfm(filtered: Bool)
            /// The value as written, and the A and B limits as the definitions give them.
            case abc(value: String, tieBreak: String, aShare: String, bShare: String, filtered: Bool)
        }

        /// The error as the user wrote the statement: one in the template's words is on
        /// the whole statement.
        func moved(_ error: EngineError) -> EngineError {
            SegmentTable.moved(error, from: templateStart, to: statement)
        }

        func apply(to result: inout QueryResult) {
            switch form {
            case .rfm(let filtered):
                result.matched = .customersWithSegment(filtered: filtered)
            case .abc(let value, let tieBreak, let aShare, let bShare, let filtered):
                result.table = result.table.renamingColumn(0, to: "class")
                result.notes.append(.abcClasses(value: value, tieBreak: tieBreak, aShare: aShare, bShare: bShare))
                result.matched = .customersWithValue(value, filtered: filtered)
            }
        }
    }

    /// The plan of the aggregate list the statement stands for, with what its result gets.
    func bind(_ query: Query) throws(EngineError) -> BoundQuery {
        let template: String
        var value: Expr?
        switch query.form {
        case .rfm:
            template = Self.rfmQuery
            let missing = Self.rfmReads.filter { runner.definitions[$0] == nil && runner.table.column(named: $0) == nil }
            if !missing.isEmpty {
                throw .statement(LanguageError("rfm reads the metric library's " + missing.joined(separator: ", ")
                                               + ", and \(missing.count == 1 ? "it is" : "they are") not defined", runner.range,
                                               help: "start custq without --no-prelude, or define them (explain rfm_segment shows the library's)"))
            }
        case .abc(let written):
            template = Self.abcQuery
            value = written
        default: preconditionFailure("not a segment table")
        }
        // The template's words follow the statement's in one source text, so every result
        // column is named by its own words and an error in the user's part points at it.
        let base = runner.source.utf8.count + 1
        var expanded = try Self.parse(template, shiftedBy: base)
        let hasLimits = Self.limitNames.allSatisfy { runner.definitions[$0] != nil }
        if let value {
            expanded = Self.substitute(value, in: expanded, keepingLimits: hasLimits)
        }
        expanded.table = query.table
        expanded.filter = query.filter.map { filter in
            Expr(.binary(.and, expanded.filter!, filter), filter.range)
        } ?? expanded.filter
        expanded.limit = query.limit
        let classes = expanded.groups.last!
        if case .rfm = query.form {
            expanded.groups = query.groups + expanded.groups
            // Groups first, then the segments in order.
            expanded.order = query.order.isEmpty ? query.groups.map { OrderKey($0, descending: false) } + expanded.order
                                                 : query.order
        } else {
            // `order by class` means the classes (the first column is named class once made).
            expanded.order = query.order.map { key in
                guard case .name(let name, _) = key.expression.kind, name.lowercased() == "class" else { return key }
                return OrderKey(classes, descending: key.descending)
            }
        }
        var inner = runner
        inner.source = runner.source + "\n" + template
        var form = Finish.Form.rfm(filtered: query.filter != nil)
        if let value {
            let limits = Self.limitNames.map { runner.definitions[$0]?.formula }
            form = .abc(value: runner.displayName(value.range), tieBreak: runner.keyColumn, aShare: limits[0] ?? "80",
                        bShare: limits[1] ?? "95", filtered: query.filter != nil)
        }
        let finish = Finish(templateStart: base, statement: runner.range, form: form)
        var plan: BoundQuery
        do {
            plan = try inner.bind(expanded)
        } catch {
            throw finish.moved(error)
        }
        plan.segments = finish
        return plan
    }

    /// The template as a query, its words placed after the statement's.
    private static func parse(_ template: String, shiftedBy base: Int) throws(EngineError) -> Query {
        guard case .query(let query)? = try binding({ () throws(LanguageError) in try Parser.parse(template) }).first?.kind else {
            preconditionFailure("a segment template is one query")
        }
        return rewritten(query) { node in
            var moved = node
            moved.range = SourceRange(node.range.start + base, node.range.end + base)
            return moved
        }
    }

    /// The query with `transform` applied to every node of its items, groups, filter and order.
    private static func rewritten(_ query: Query, _ transform: (Expr) -> Expr) -> Query {
        var query = query
        if case .aggregate(let items) = query.form {
            query.form = .aggregate(items: items.map { SelectItem($0.expression.map(transform), alias: $0.alias) })
        }
        query.groups = query.groups.map { $0.map(transform) }
        query.filter = query.filter.map { $0.map(transform) }
        query.order = query.order.map { OrderKey($0.expression.map(transform), descending: $0.descending) }
        return query
    }

    /// The template with the user's value in place of `‹value›`; abc's own default limits
    /// when the library's limit definitions are not there.
    private static func substitute(_ value: Expr, in query: Query, keepingLimits: Bool) -> Query {
        rewritten(query) { node in
            switch node.kind {
            case .name(let name, _) where name == valuePlaceholder:
                return value
            case .call("abc", let arguments, false) where !keepingLimits:
                return Expr(.call(name: "abc", arguments: [arguments[0]], star: false), node.range)
            default:
                return node
            }
        }
    }

    /// An error in the template's words is shown on the whole statement (the user did not
    /// write them); one in the user's words stays where it is.
    private static func moved(_ error: EngineError, from base: Int, to statement: SourceRange) -> EngineError {
        switch error {
        case .statement(let problem) where problem.range.start >= base:
            return .statement(LanguageError(problem.message, statement, help: problem.help, notes: problem.notes))
        case .overflow(let range) where range.start >= base: return .overflow(statement)
        case .dateOutOfRange(let range) where range.start >= base: return .dateOutOfRange(statement)
        default: return error
        }
    }
}
