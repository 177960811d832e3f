import CustqStore

/// What `explain NAME` shows, as data: what the metric is, what it reads (down to the
/// columns, with their types and nulls), and its formula worked on the loaded data.
/// CustqRender draws it.
public struct MetricExplanation: Sendable {
    public enum Origin: Sendable, Equatable {
        case builtIn
        case yours
        /// Yours, defined in place of the built-in of the same name.
        case yoursInPlaceOfBuiltIn
    }

    /// What the metric computes on the loaded data.
    public enum Computes: Sendable, Equatable {
        case perRow
        case measure
        /// Not computable here, and why.
        case nothing(reason: String)
        /// A function of the values it is given: its parameters, and a use of it in the
        /// library or your definitions with its value on the loaded data, if there is one.
        case function(parameters: [String], use: String?)
    }

    /// A name the formula reads, `depth` levels down its definitions.
    public struct Input: Sendable {
        public enum Kind: Sendable {
            case definition(formula: String)
            /// A table, or a column of one, related by the key column.
            case relatedTable(key: String)
            case column(table: String, type: ColumnType, nulls: Int)
            case notLoaded
            /// A function's parameter: whatever value a use gives.
            case parameter
        }

        public let name: String
        public let depth: Int
        public let kind: Kind

        public init(name: String, depth: Int, kind: Kind) {
            self.name = name
            self.depth = depth
            self.kind = kind
        }
    }

    /// A formula with some of its parts replaced by their values.
    public enum Piece: Sendable {
        case text(String)
        case value(Value)
    }

    /// One value, as the one row of a column (its type, unit and reading kept for showing).
    public struct Value: Sendable {
        public let column: Column

        public init(_ column: Column) { self.column = column }
    }

    /// The worked example.
    public enum Example: Sendable {
        /// A per-row metric on the first row with a value: who it is (key columns and
        /// their values), the formula in use with its inputs' values put in (nil: the
        /// form is one part, shown as written), the value, and how many rows have none.
        case row(who: [(column: String, value: Value)], form: String, worked: [Piece]?, value: Value,
                 rowsWithout: (missing: Value, total: Value)?)
        /// No row of the table has a value.
        case noRow(table: String)
        /// A measure on all loaded rows: each aggregate part with its value, the formula
        /// with the parts' values put in, the value, and a column to group by.
        case measure(parts: [(text: String, value: Value)], worked: [Piece], value: Value, groupColumn: String?)
    }

    public var name: String
    /// The label and the Chinese name, those it has.
    public var names: [String] = []
    public var origin = Origin.builtIn
    public var kind: String?
    public var unit: String?
    public var computes = Computes.perRow
    /// A function's use (see Computes.function) worked on the loaded data, when it is a measure.
    public var useValue: Value?
    public var about: String?
    public var formula = ""
    public var inputs: [Input] = []
    public var conventions: [String] = []
    public var example: Example?
    /// The as-of date, when the metric depends on it, and whether it comes from `.asof`.
    public var asOf: ResultNote?
    public var asOfIsSet = false

    public init(name: String) { self.name = name }
}
