import CustqResult
import CustqStore

/// The canonical column names the metric library reads on a customers table
/// (DESIGN.md, "Data model"), and the names exports give them, in English and Chinese.
/// A loaded table's columns are matched by these names ignoring case, spaces and
/// underscores; a match makes the canonical name another name of the column (as the
/// orders' roles do), so `csat` still means the metric and reads 满意度 inside it.
public enum CustomerColumns {
    static let conventionalNames: [(canonical: String, names: [String])] = [
        ("customer_id", ["customerid", "customerno", "customernumber", "customercode", "custid", "clientid", "accountid",
                         "memberid", "客户编号", "客户id", "客户号", "会员编号", "会员id", "用户id"]),
        ("name", ["customername", "accountname", "clientname", "companyname", "company", "客户名称", "客户名", "公司名称",
                  "企业名称", "姓名", "名称"]),
        ("region", ["salesregion", "territory", "所属区域", "区域", "地区", "大区", "所属地区"]),
        ("city", ["所在城市", "城市"]),
        ("industry", ["sector", "所属行业", "行业"]),
        ("segment", ["customersegment", "客户类型", "客户分类", "细分市场"]),
        ("tier", ["customertier", "grade", "level", "客户等级", "会员等级", "等级"]),
        ("signup_date", ["signupdate", "createddate", "createdat", "registrationdate", "registerdate", "joindate",
                         "datejoined", "注册日期", "注册时间", "开户日期", "创建日期"]),
        ("first_purchase_date", ["firstpurchasedate", "firstorderdate", "首次成交日期", "首次购买日期", "首单日期"]),
        ("last_purchase_date", ["lastpurchasedate", "lastorderdate", "最近成交日期", "最近购买日期", "最后购买日期"]),
        ("orders_count", ["orderscount", "totalorders", "ordercount", "numberoforders", "成交次数", "订单数", "购买次数", "订单数量"]),
        ("total_spent", ["totalspent", "totalspend", "totalrevenue", "累计成交金额", "累计消费金额", "消费金额", "累计金额"]),
        ("annual_revenue", ["annualrevenue", "yearlyrevenue", "annualspend", "年均购买额", "年均消费额", "年收入"]),
        ("lifetime_years", ["lifetimeyears", "customerlifetime", "客户生命周期", "生命周期"]),
        ("margin", ["grossmargin", "marginrate", "profitmargin", "毛利率", "利润率"]),
        ("acquisition_cost", ["acquisitioncost", "cac", "获客成本"]),
        ("nps_score", ["npsscore", "nps", "likelihoodtorecommend", "recommendscore", "推荐意愿", "净推荐值", "推荐得分"]),
        ("csat", ["csatscore", "satisfaction", "satisfactionscore", "满意度", "满意度评分"]),
        ("complaints", ["complaintcount", "numberofcomplaints", "投诉次数", "投诉数"]),
        ("support_tickets", ["tickets", "supporttickets", "工单数", "工单数量"]),
        ("churned", ["churn", "ischurned", "churnflag", "churnstatus", "是否流失", "流失"]),
    ]

    /// Every canonical name, for `.map`'s messages.
    public static var canonicalNames: [String] { conventionalNames.map(\.canonical) }

    /// Canonical name → column for the table: `explicit` first (an empty column undoes a
    /// match), then conventional names; never for a name the table has as a column.
    static func match(_ table: Table, explicit: [String: String]) -> [(canonical: String, column: String)] {
        var found: [(String, String)] = []
        var used = Set<String>()
        for (canonical, names) in conventionalNames {
            if let chosen = explicit[canonical] {
                if !chosen.isEmpty, let column = table.column(named: chosen) {
                    found.append((canonical, column.name))
                    used.insert(column.name)
                }
                continue
            }
            guard !table.columns.contains(where: { $0.name.lowercased() == canonical }) else { continue }
            for name in names {
                guard let column = table.columns.first(where: { OrderRoles.normalized($0.name) == name && !used.contains($0.name) })
                else { continue }
                found.append((canonical, column.name))
                used.insert(column.name)
                break
            }
        }
        return found
    }
}

extension Engine {
    /// Matches the customers tables' columns to the canonical names (`客户编号 → customer_id`)
    /// and says so, a finding per table with matches. Every loaded table but the orders and
    /// the responses is a customers table for this.
    public func prepareCustomerColumns() -> [ModelFinding] {
        var findings: [ModelFinding] = []
        for table in catalog.tables where !table.answers(to: Self.ordersTableName) && table.name.lowercased() != "responses"
            && !table.source.hasPrefix(Self.derivedSource) {
            var explicit = columnMap
            // People regrouped by a column of their own (Engine+PersonKey): that column is the key.
            if table.source.hasPrefix(Self.peopleSource), let key = table.columnAliases[keyColumn.lowercased()] {
                explicit[keyColumn.lowercased()] = key
            }
            let matches = CustomerColumns.match(table, explicit: explicit)
            var updated = table
            var roles: [String: String] = [:]
            for (canonical, column) in matches { roles[canonical] = column }
            guard roles != table.columnAliases else { continue }
            updated.columnAliases = roles
            catalog.update(updated)
            if !matches.isEmpty {
                findings.append(.canonicalNames(table: table.name,
                                                matches: matches.map { .init(column: $0.column, canonical: $0.canonical) }))
            }
        }
        return findings
    }
}
