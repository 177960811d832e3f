/// What preparing the customer model found after a load or `.orders`: which table the
/// orders are, how their columns are read, how their keys meet the customers', the
/// customers derived or regrouped, and the canonical names matched. The engine finds them;
/// Render words them (ModelFindingText), one line each.
public enum ModelFinding: Sendable, Equatable {
    /// A remembered `.orders TABLE …` no longer applies (its columns are gone): the orders
    /// are found by their names again.
    case statementDropped(table: String, reason: String)
    /// `.orders TABLE where CONDITION`: the rows kept as the orders.
    case ordersKept(table: String, kept: Int, of: Int, condition: String)
    /// How the orders are read, in one line.
    case orders([OrdersReading])
    /// The customers' and the orders' keys are of different kinds.
    case keyKinds(KeyKinds, relatedByValue: Bool)
    /// Orders with a key that matches no customer.
    case ordersWithoutCustomer(count: Int, keyed: Int, key: String)
    /// Customers whose keys are equal once read as numbers (01 and 1).
    case customersShareKeys(customerKey: String)
    /// No customers table: one derived from the orders' distinct keys.
    case customersDerived(DerivedCustomers)
    /// `.orders … customer_id = TABLE.COLUMN`: the customers are the people of TABLE.
    case people(People)
    /// A customers-like table's columns matched to canonical names.
    case canonicalNames(table: String, matches: [CanonicalName])

    public struct KeyKinds: Sendable, Equatable {
        public var customers: String, customerKey: String, customerKeyType: String
        public var orders: String, orderKey: String, orderKeyType: String

        public init(customers: String, customerKey: String, customerKeyType: String,
                    orders: String, orderKey: String, orderKeyType: String) {
            (self.customers, self.customerKey, self.customerKeyType) = (customers, customerKey, customerKeyType)
            (self.orders, self.orderKey, self.orderKeyType) = (orders, orderKey, orderKeyType)
        }
    }

    public struct DerivedCustomers: Sendable, Equatable {
        public var count: Int
        /// The orders' key column and table.
        public var key: String, orders: String
        /// A loaded table that looks like the customers under another name, and its file.
        public var lookalike: (table: String, source: String)?
        /// Orders without a key.
        public var unkeyed: Int

        public init(count: Int, key: String, orders: String, lookalike: (table: String, source: String)?, unkeyed: Int) {
            (self.count, self.key, self.orders, self.lookalike, self.unkeyed) = (count, key, orders, lookalike, unkeyed)
        }

        public static func == (a: Self, b: Self) -> Bool {
            a.count == b.count && a.key == b.key && a.orders == b.orders && a.unkeyed == b.unkeyed
                && a.lookalike?.table == b.lookalike?.table && a.lookalike?.source == b.lookalike?.source
        }
    }

    public struct People: Sendable, Equatable {
        public var count: Int
        /// The column naming the person, and the table and row count they come from.
        public var key: String, table: String, rows: Int
        /// Where the rows as loaded stay: `customer_rows`, or the table itself.
        public var rowsKeptAs: String
        /// Whether the rows as loaded were renamed (`customers` stays as `customer_rows`).
        public var renamed: Bool
        /// The rows' own key column (a key per order's customer), when it is another column.
        public var loadedKey: String?
        /// Columns whose value differs between one person's rows.
        public var varying: [String]
        /// Rows without a person's key.
        public var unkeyed: Int

        public init(count: Int, key: String, table: String, rows: Int, rowsKeptAs: String, renamed: Bool,
                    loadedKey: String?, varying: [String], unkeyed: Int) {
            (self.count, self.key, self.table, self.rows) = (count, key, table, rows)
            (self.rowsKeptAs, self.renamed, self.loadedKey, self.varying, self.unkeyed) = (rowsKeptAs, renamed, loadedKey, varying, unkeyed)
        }
    }

    public struct CanonicalName: Sendable, Equatable {
        public var column: String, canonical: String

        public init(column: String, canonical: String) {
            (self.column, self.canonical) = (column, canonical)
        }
    }
}
