/// Word lists the example data is drawn from.
enum ExampleVocabulary {
    /// Regions with their cities and relative weight of customers.
    static let regions: [(name: String, cities: [String], weight: Double)] = [
        ("North", ["Chicago", "Minneapolis", "Detroit", "Milwaukee"], 1.0),
        ("South", ["Atlanta", "Houston", "Miami", "Nashville"], 1.0),
        ("East", ["New York", "Boston", "Philadelphia", "Baltimore"], 1.2),
        ("West", ["Seattle", "San Francisco", "Los Angeles", "Denver"], 1.1),
        ("华东", ["上海", "杭州", "南京", "苏州", "宁波"], 1.3),
        ("华北", ["北京", "天津", "石家庄", "太原"], 0.9),
        ("华南", ["广州", "深圳", "厦门", "南宁"], 1.0),
    ]
    static let industries = ["Retail", "Manufacturing", "Technology", "Healthcare", "Finance",
                             "Education", "Logistics", "Hospitality"]
    static let segments: [(name: String, revenueScale: Double, weight: Double)] = [
        ("Enterprise", 4.0, 0.15), ("Mid-Market", 1.6, 0.35), ("SMB", 0.6, 0.5),
    ]
    static let tiers: [(name: String, revenueScale: Double, weight: Double)] = [
        ("A", 3.0, 0.2), ("B", 1.0, 0.35), ("C", 0.35, 0.45),
    ]
    static let channels = ["Online", "Sales Rep", "Partner", "Phone"]
    static let channelWeights = [0.45, 0.3, 0.15, 0.1]

    static let namePrefixes = ["Blue", "North", "Silver", "Bright", "Summit", "Pioneer", "Harbor", "Golden",
                               "Red", "Evergreen", "Atlas", "Cedar", "Crescent", "Granite", "Maple", "Oak",
                               "Pacific", "Prairie", "River", "Stone", "Sun", "Union", "Vista", "Willow"]
    static let nameNouns = ["River", "Peak", "Bridge", "Field", "Gate", "Ridge", "Valley", "Point", "Star",
                            "Lake", "Forge", "Works", "Line", "Path", "Tower", "Wave"]
    static let nameSuffixes = ["Trading", "Supply", "Systems", "Foods", "Logistics", "Labs", "Partners",
                               "Retail", "Health", "Motors", "Media", "Foods, Inc.", "Group", "\"Direct\" Co."]
    static let chinesePrefixes = ["华辰", "东方", "金桥", "恒信", "远航", "新锐", "明德", "瑞丰", "星海", "博达",
                                  "嘉禾", "天成", "永泰", "中科", "长城", "海川"]
    static let chineseSuffixes = ["科技有限公司", "贸易有限公司", "制造有限公司", "物流有限公司", "食品有限公司",
                                  "医疗器械有限公司", "信息技术有限公司", "实业有限公司"]

    static let comments: [(text: String, minimumScore: Int)] = [
        ("Great service, fast delivery", 9), ("Very happy with the account team", 9),
        ("服务很好，响应及时", 9), ("Would recommend to \"anyone\" in our industry", 9),
        ("Solid product, pricing could be better", 7), ("交付周期有点长", 7), ("OK overall", 7),
        ("Support took too long to answer", 0), ("Invoices were wrong twice\nand nobody followed up", 0),
        ("价格偏高，售后一般", 0), ("Considering other vendors", 0), ("", 0),
    ]
}
