import CustqResult
import CustqLanguage
import CustqStore

/// Names the metric library reads as yes or no (`churned`). Given a column that is not
/// boolean (`define churned = 是否流失`, a 0/1 flag, `Churned`/`Active`), it is read by a
/// stated rule, said under the result, or refused with its values listed; never "not null
/// means yes", which made every customer churned.
enum YesNoRoles {
    static let names: Set<String> = ["churned"]

    /// Beyond the yes/no words a load reads (`WrittenBoolean`: 是/否, yes/no, Y/N, …): a 0/1
    /// flag and the words of a churn status, compared ignoring case and spaces.
    static let yes: Set<String> = ["1", "churned", "lost", "inactive", "流失", "已流失", "cancelled", "canceled"]
    static let no: Set<String> = ["0", "active", "retained", "未流失", "留存", "current"]

    /// Yes, no, or nil for a value that says neither.
    static func meaning(of text: String) -> Bool? {
        if let spelling = Array(text.utf8).withUnsafeBufferPointer(WrittenBoolean.parse) { return WrittenBoolean.words[spelling].value }
        let folded = String(text.lowercased().filter { $0 != " " })
        return yes.contains(folded) ? true : no.contains(folded) ? false : nil
    }

    static func read(_ bound: BoundExpr, named name: String, table: Table, usage: BindingUsage,
                     at range: SourceRange) throws(LanguageError) -> BoundExpr {
        guard case .column(let index, _) = bound.unshared, table.columns.indices.contains(index) else {
            throw LanguageError("\(name) must say yes or no, but here it is \(bound.type.rawValue) values", range,
                                help: "define it as a condition, e.g. define \(name) = status = 'Churned'")
        }
        let column = table.columns[index]
        var distinct: [String] = []
        var seen = Set<String>()
        if table.rowsElsewhere != nil, column.type == .integer || column.type == .string {
            // The values are on the database: its first 21 different ones, as read here.
            do {
                distinct = try Engine.distinctValues(of: column, in: table, limit: 21)
            } catch {
                throw LanguageError("\(name) must say yes or no, and \(column.name)'s values could not be read: \(error.message)", range,
                                    help: "define it as a condition, e.g. define \(name) = \(column.name) = 'Churned'")
            }
        } else {
        switch column.values {
        case .integer(let values):
            for row in 0..<column.count where !column.isNull(row) && seen.insert(String(values[row])).inserted {
                distinct.append(String(values[row]))
                if distinct.count > 20 { break }
            }
        case .string(let strings):
            for row in 0..<column.count where !column.isNull(row) {
                let text = strings.string(at: row)
                if seen.insert(text).inserted { distinct.append(text) }
                if distinct.count > 20 { break }
            }
        default:
            throw LanguageError("\(name) must say yes or no, but \(column.name) holds \(column.type.displayName) values", range,
                                help: "define it as a condition, e.g. define \(name) = \(column.name) > 0")
        }
        }
        let yesValues = distinct.filter { meaning(of: $0) == true }, noValues = distinct.filter { meaning(of: $0) == false }
        guard yesValues.count + noValues.count == distinct.count, !yesValues.isEmpty || !noValues.isEmpty else {
            let shown = distinct.prefix(8).map { column.type == .integer ? $0 : "'\($0)'" }.joined(separator: ", ")
                + (distinct.count > 8 ? ", …" : "")
            let example = column.type == .integer ? distinct.first ?? "1" : "'\(distinct.first ?? "…")'"
            throw LanguageError("\(name) must say yes or no, but \(column.name) holds \(shown)", range,
                                help: "say which values mean yes, e.g. define \(name) = \(column.name) in (\(example))")
        }
        let rule = ResultNote.yesNoReading(name: name, column: column.name, yes: yesValues, no: noValues)
        if !usage.flagRules.contains(rule) { usage.flagRules.append(rule) }
        let constants: [Scalar] = yesValues.map { text in
            if case .integer = column.values, let number = Int64(text) { return .integer(number) }
            return .string(text)
        }
        return .inList(bound, constants, negated: false)
    }
}
