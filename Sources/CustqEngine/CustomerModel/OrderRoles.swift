import CustqDiagnostics
import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which loaded table holds the orders, and which of its columns play the three roles the
/// metric library reads: the customer key, the order date and the amount. A table named
/// `orders` with those columns needs nothing; a raw transaction export (`InvoiceDate`,
/// `CustomerID`, `Total`) has its roles found by conventional names, or set with `.orders`.
public enum OrderRoles {
    /// The roles, each with the names that conventionally hold it (compared ignoring case,
    /// spaces, `_` and `-`), most specific first.
    static let conventionalNames: [(role: String, names: [String])] = [
        ("customer_id", ["customer_id", "customerid", "customer", "cust_id", "customer_no", "customer_number",
                         "customer_code", "client_id", "client", "user_id", "user", "member_id", "buyer_id",
                         "account_id", "shopper_id", "客户编号", "客户id", "客户号", "会员id", "会员编号", "用户id", "买家id",
                         "email", "customer_email", "邮箱"]),
        ("order_date", ["order_date", "orderdate", "invoice_date", "purchase_date", "transaction_date", "txn_date",
                        "sale_date", "order_time", "order_datetime", "ordered_at", "order_purchase_timestamp", "purchase_timestamp",
                        "order_timestamp", "created_at", "date", "timestamp",
                        "订单日期", "下单日期", "下单时间", "交易日期", "交易时间", "购买日期", "成交日期", "日期"]),
        ("amount", ["amount", "order_amount", "order_total", "total_amount", "total", "revenue", "sales",
                    "sale_amount", "order_value", "value", "net_amount", "gmv", "spend",
                    "金额", "订单金额", "实付金额", "支付金额", "成交金额", "消费金额", "销售额"]),
    ]

    /// Roles an orders table may also have: what makes rows order lines, and the parts of
    /// an amount (see OrderLines).
    static let lineNames: [(role: String, names: [String])] = [
        ("order_id", ["order_id", "orderid", "order_no", "order_number", "invoice", "invoiceno", "invoice_no",
                      "invoice_number", "invoice_id", "transaction_id", "receipt_no", "order", "name",
                      "订单号", "订单编号", "订单id", "单号"]),
        ("quantity", ["quantity", "qty", "units", "lineitem_quantity", "item_quantity", "数量", "购买数量"]),
        ("price", ["unitprice", "unit_price", "price", "lineitem_price", "item_price", "sale_price", "单价", "价格"]),
    ]

    /// The order id, quantity and unit price columns, by conventional name. `Name` is an
    /// order id only when its values are written `#1001` (Shopify).
    static func lineRoles(in table: Table) -> [String: Int] {
        var found: [String: Int] = [:]
        for (role, names) in lineNames {
            for name in names.map(normalized) {
                guard let index = table.columns.firstIndex(where: { normalized($0.name) == name }) else { continue }
                let column = table.columns[index]
                switch role {
                case "quantity", "price":
                    guard column.type == .integer || column.type == .decimal else { continue }
                default:
                    if name == "name" {
                        guard case .string(let values) = column.values,
                              (0..<column.count).first(where: { !column.isNull($0) }).map({ values.string(at: $0).hasPrefix("#") }) == true
                        else { continue }
                    }
                }
                found[role] = index
                break
            }
        }
        return found
    }

    /// Whether the roles found make an orders table: a customer, a date, and an amount or
    /// the quantity and price it is made of.
    static func complete(_ roles: [String: Int], lines: [String: Int]) -> Bool {
        roles["customer_id"] != nil && roles["order_date"] != nil && (roles["amount"] != nil || lines["price"] != nil)
    }

    static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Whether a column can play a role: dates for order_date, numbers for amount.
    static func fits(_ column: Column, role: String) -> Bool {
        switch role {
        case "order_date": column.type == .date || column.type == .timestamp
        case "amount": column.type == .integer || column.type == .decimal
        default: true
        }
    }

    /// The table's column for each role: one set explicitly (by index), its own canonical
    /// name, else the first conventional name found. `key` is the relating column's name (`.link`).
    static func detect(in table: Table, key: String, explicit: [String: Int] = [:]) -> [String: Int] {
        var found = explicit
        for (role, names) in conventionalNames where found[role] == nil {
            let canonical = role == "customer_id" ? key : role
            if let index = table.columns.firstIndex(where: { $0.name.lowercased() == canonical.lowercased() }),
               fits(table.columns[index], role: role) {
                found[role] = index
                continue
            }
            let wanted = (role == "customer_id" ? [key] + names : names).map(normalized)
            for name in wanted {
                if let index = table.columns.firstIndex(where: { normalized($0.name) == name && fits($0, role: role) }) {
                    found[role] = index
                    break
                }
            }
        }
        return found
    }
}
