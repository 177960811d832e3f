import CustqLanguage

/// One built-in function or aggregate: what the binder checks a call against, which kernel
/// the evaluator runs, what completion offers and what `.help` and error messages say.
public struct BuiltInFunction: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A value per row from the row's arguments (`round`, `date`, `like`).
        case row
        /// A value per group from its rows (`avg`, `count`); usable as `avg clv` too.
        case aggregate
        /// A value per row from every row of the table (`total`, `ntile`, `qcut`, `abc`).
        case wholeTable
        /// A choice between forms by the data loaded (`prefer`).
        case choice
        /// A value per customer from the models `clv fit` fitted (`expected_purchases(t)`),
        /// written as the model kernel on the customer's summary and the fitted parameters.
        case model
    }

    /// Which kernel computes a row function's values.
    enum Kernel: Sendable {
        /// Numbers, dates, choices (Functions).
        case values(Functions.Kernel)
        /// Conversions and text, whose failures and readings the result counts (TextFunctions).
        case text(TextFunctions.Kernel)
        /// Bound to a plan step of its own (aggregates, whole-table functions, prefer).
        case own
    }

    /// What a row function's argument must be: the types it takes and, for the message when
    /// it is another, what they are in words (`round needs a number`).
    struct Parameter: Sendable {
        let types: [ValueType]
        let what: String

        static let number = Parameter(types: [.integer, .decimal], what: "a number")
        static let date = Parameter(types: [.date, .timestamp], what: "a date")
        static let text = Parameter(types: [.string], what: "text")
        static let digits = Parameter(types: [.integer], what: "a whole number of digits")
        static let textOrDate = Parameter(types: [.string, .date, .timestamp], what: "text or a date")
        static let textOrNumber = Parameter(types: [.string, .integer, .decimal], what: "text or a number")
        static let textNumberOrYesNo = Parameter(types: [.string, .integer, .decimal, .boolean], what: "text or a number")
        static let pattern = Parameter(types: [.string], what: "a pattern in quotes, e.g. 'A%'")
        static let start = Parameter(types: [.integer], what: "a whole number (the first character is 1)")
        static let characters = Parameter(types: [.integer], what: "a whole number of characters")
    }

    /// The type of a row function's value.
    enum Result: Sendable {
        case fixed(ValueType)
        /// Whole for a whole number, else a decimal (`abs`, `floor`, `ceil`).
        case likeItsNumber
        /// `round(x)` like its number; `round(x, digits)` a decimal.
        case rounded
        /// A decimal, computed from decimals (`sqrt`, `ln`, `exp`).
        case fractional
        /// The one type its values share (`coalesce`; `if`'s two branches).
        case sharedType
    }

    public let name: String
    public let kind: Kind
    public let arity: ClosedRange<Int>
    /// One line for `.help` and for the help under an error.
    public let help: String
    let kernel: Kernel
    /// A row function's arguments, in order; arguments past the list take any type.
    let parameters: [Parameter]
    let result: Result
    /// How each SQL dialect spells it, where it is one function there; filled by the SQL
    /// writer (empty until then).
    public var sql: [String: String] = [:]

    init(_ name: String, _ kind: Kind, _ arity: ClosedRange<Int>, _ kernel: Kernel, _ help: String,
         _ parameters: [Parameter] = [], _ result: Result = .fixed(.null)) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.kernel = kernel
        self.help = help
        self.parameters = parameters
        self.result = result
    }
}
