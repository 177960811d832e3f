import CustqDiagnostics
import CustqLanguage

extension Session {
    /// `rfm [by GROUP] [where COND]` and `abc by EXPR [where COND]`: segment tables, written
    /// as the aggregate queries they stand for (so their figures follow the metric library).
    /// The query a segment command stands for, the name of its first column, and notes.
    struct Expansion {
        var text: String
        var firstColumn: String?
        var notes: [String] = []
        /// What the footer's matched count is: customers with a segment (or a value).
        var matched: ((Int, Int) -> String)?
    }

    func segmentQuery(_ source: String) -> Expansion? {
        let trimmed = source.trimmingSpaces
        let head = trimmed.prefix { !$0.isWhitespace }.lowercased()
        guard head == "rfm" || head == "abc" else { return nil }
        let rest = String(trimmed.dropFirst(head.count))
        // Reuse the parser for the clauses: `count` + the rest is a query with groups and a filter.
        let probe = "count" + rest
        guard let statement = try? Parser.parse(probe).first, case .query(let query) = statement.kind else { return nil }
        let bytes = Array(probe.utf8)
        func text(_ e: Expr) -> String { String(decoding: bytes[e.range.start..<e.range.end], as: UTF8.self) }
        let groups = query.groups.map(text)
        let filter = query.filter.map { "(" + text($0) + ")" }
        // order by and limit arrange the segment table's rows, as in any aggregate list.
        let limit = query.limit.map { " limit \($0)" } ?? ""
        func order(_ rename: (String) -> String = { $0 }) -> String? {
            query.order.isEmpty ? nil : query.order.map { rename(text($0.expression)) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
        }
        if head == "rfm" {
            let keys = (groups + ["rfm_segment"]).joined(separator: ", ")
            let order = order() ?? (groups + ["min(rfm_segment_order)"]).joined(separator: ", ")
            let condition = (["rfm_segment is not null"] + (filter.map { [$0] } ?? [])).joined(separator: " and ")
            let filtered = filter != nil
            return Expansion(text: "count as customers, sum(100.0 / total(if(rfm_segment is null, 0, 1))) as `customers %`, "
                + "sum(frequency) as orders, sum(monetary) as revenue, "
                + "sum(100.0 * monetary / total(if(rfm_segment is null, 0, monetary))) as `revenue %`, "
                + "avg(recency_days) as `avg recency_days`, avg(frequency) as `avg frequency`, "
                + "avg(monetary) as `avg monetary` by \(keys) where \(condition) order by \(order)" + limit,
                matched: { matched, all in
                    "\(NumberFormat.grouped(matched)) of \(Plural.count(all, "customer")) "
                        + (filtered ? "match and have an RFM segment" : (matched == 1 ? "has" : "have") + " an RFM segment")
                })
        }
        guard let value = groups.first else { return Expansion(text: "abc by") }   // parses to a clear error
        // The A and B limits are the definitions abc_a_share and abc_b_share (80 and 95 in the
        // metric library; abc's own defaults without it), bound like any other name.
        let limits = ["abc_a_share", "abc_b_share"].map { engine.definitions[$0] }
        let classes = limits.contains(where: { $0 == nil }) ? "abc(\(value))" : "abc(\(value), abc_a_share, abc_b_share)"
        let a = limits[0]?.formula ?? "80", b = limits[1]?.formula ?? "95"
        let condition = (["(\(value)) is not null"] + (filter.map { [$0] } ?? [])).joined(separator: " and ")
        let text = "count as customers, sum(100.0 / total(if((\(value)) is null, 0, 1))) as `customers %`, "
            + "sum(\(value)) as value, sum(100.0 * (\(value)) / total(\(value))) as `value %`, "
            + "min(\(value)) as `min value`, max(\(value)) as `max value` by \(classes) where \(condition)"
            // The first column is named class only once the table is made: order by class means the classes.
            + (order { $0.lowercased() == "class" ? classes : $0 }.map { " order by " + $0 } ?? "") + limit
        let filtered = filter != nil
        return Expansion(text: text, firstColumn: "class",
                         notes: ["\(value) by customer, largest first (ties by \(engine.keyColumn)); A while the cumulative "
                                 + "share of the total is at most \(a)%, B at most \(b)%, C the rest "
                                 + "(define abc_a_share / abc_b_share to change)"],
                         matched: { matched, all in
                             "\(NumberFormat.grouped(matched)) of \(Plural.count(all, "customer")) "
                                 + (filtered ? "match and have" : matched == 1 ? "has" : "have") + " a value of \(value)"
                         })
    }
}
