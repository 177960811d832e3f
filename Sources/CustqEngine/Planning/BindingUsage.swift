import CustqResult
import CustqStore
import CustqLanguage

/// What binding a statement met that its result should mention: the as-of date (today()),
/// the orders table (orders after an `.asof` date are left out), and text values compared
/// with a column (a value the column never holds gets a note).
final class BindingUsage: @unchecked Sendable {
    var readsToday = false
    var readsOrders = false
    /// `region = Nort`: a text column compared with a constant, to check the value exists.
    var valueChecks: [ValueCheck] = []
    /// How a yes/no the model needs was read from a column that is not boolean
    /// (`churned: 1 is yes, 0 is no`), said under the result.
    var flagRules: [ResultNote] = []
    /// A problem of the definitions as a whole (a cycle, a chain too deep), as last raised:
    /// shown as itself at the outermost use, not "in the definition of" each.
    var definitionsProblem: LanguageError?
    /// The last "METRIC needs …" raised by a prefer none of whose forms can run, with what
    /// it needs in words (for a metric that reads it to say both).
    var unmetNeeds: (metric: String, needed: String, error: LanguageError)?
    /// Whether each definition (by lowercased name) is a measure, found once per statement.
    var measures: [String: Bool] = [:]
    /// Each definition as bound in this statement, by name and by what the place it is used
    /// allows (and which aggregate list its aggregates went to): bound once, shared, with
    /// what binding it noted (so a later use notes it too).
    var boundDefinitions: [DefinitionUse: (expr: BoundExpr, notes: Notes)] = [:]

    /// What binding notes for the result: the as-of date, the orders, values to check.
    struct Notes {
        var readsToday = false
        var readsOrders = false
        var valueChecks: [ValueCheck] = []
        var flagRules: [ResultNote] = []
    }

    var notes: Notes {
        get { Notes(readsToday: readsToday, readsOrders: readsOrders, valueChecks: valueChecks, flagRules: flagRules) }
        set {
            readsToday = newValue.readsToday
            readsOrders = newValue.readsOrders
            valueChecks = newValue.valueChecks
            flagRules = newValue.flagRules
        }
    }

    /// Adds what a binding noted to what is noted already.
    func add(_ more: Notes) {
        readsToday = readsToday || more.readsToday
        readsOrders = readsOrders || more.readsOrders
        for check in more.valueChecks where !valueChecks.contains(check) { valueChecks.append(check) }
        for rule in more.flagRules where !flagRules.contains(rule) { flagRules.append(rule) }
    }
    private(set) var sharedCount = 0

    /// A number for the next shared definition.
    func nextSharedID() -> Int {
        sharedCount += 1
        return sharedCount
    }

    func copy() -> BindingUsage {
        let copy = BindingUsage()
        copy.readsToday = readsToday
        copy.readsOrders = readsOrders
        copy.valueChecks = valueChecks
        copy.measures = measures
        copy.boundDefinitions = boundDefinitions
        copy.sharedCount = sharedCount
        return copy
    }

    /// Puts back what `saved` had noted (today(), orders, value checks), keeping the
    /// bindings made since: a probe's bindings are good, its notes are not the statement's.
    func keepBindings(restoringNotesFrom saved: BindingUsage) {
        readsToday = saved.readsToday
        readsOrders = saved.readsOrders
        valueChecks = saved.valueChecks
    }
}
