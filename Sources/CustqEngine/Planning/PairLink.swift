/// Two tables related through columns of their own (`.link orders.order_id = payments.order_id`).
public struct PairLink: Sendable, Equatable {
    public let tables: (String, String)
    public let columns: (String, String)

    public init(_ tableA: String, _ columnA: String, _ tableB: String, _ columnB: String) {
        tables = (tableA, tableB)
        columns = (columnA, columnB)
    }

    public static func == (a: PairLink, b: PairLink) -> Bool {
        a.tables == b.tables && a.columns == b.columns
    }
}
