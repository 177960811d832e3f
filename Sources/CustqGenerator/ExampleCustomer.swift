import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One generated customer, before it is written out.
struct ExampleCustomer {
    var id: Int
    var name: String
    var region: String
    var city: String
    var industry: String
    var segment: String
    var tier: String
    var signupDay: Int
    var orderDays: [Int]
    var annualRevenue: Double
    var lifetimeYears: Double
    var margin: Double
    var acquisitionCost: Double
    var npsScore: Int?
    var csat: Int?
    var complaints: Int
    var supportTickets: Int
    var avgResponseHours: Double?
    var interactions90d: Int
    var referrals: Int
    var churned: Bool
    /// Hidden trait in [0, 1] that drives NPS, CSAT, complaints and churn together.
    var satisfaction: Double
    /// Typical order value, from annual revenue and purchase rhythm.
    var orderValue: Double
}

extension ExampleGenerator {
    func makeCustomer(id: Int, random: inout SplitMix64) -> ExampleCustomer {
        let region = ExampleVocabulary.regions[random.weightedIndex(ExampleVocabulary.regions.map(\.weight))]
        let segment = ExampleVocabulary.segments[random.weightedIndex(ExampleVocabulary.segments.map(\.weight))]
        let tier = ExampleVocabulary.tiers[random.weightedIndex(ExampleVocabulary.tiers.map(\.weight))]
        let chinese = region.name.unicodeScalars.first!.value > 0x2E80
        let name = chinese
            ? random.pick(ExampleVocabulary.chinesePrefixes) + random.pick(ExampleVocabulary.chinesePrefixes).prefix(1)
                + random.pick(ExampleVocabulary.chineseSuffixes)
            : random.pick(ExampleVocabulary.namePrefixes) + " " + random.pick(ExampleVocabulary.nameNouns) + " "
                + random.pick(ExampleVocabulary.nameSuffixes)
        let firstDay = CivilDate.dayNumber(year: 2018, month: 1, day: 1)
        let signupDay = random.int(firstDay...(exportDay - 7))
        let satisfaction = min(1, max(0, 0.68 + 0.22 * random.normal()))
        let churned = random.chance(0.35 - 0.3 * satisfaction)
        // Orders: count around the requested mean, spread between signup and an end day.
        let activeEnd = churned ? random.int(signupDay...max(signupDay, exportDay - 366)) : exportDay
        let orderCount = random.chance(0.04) ? 0 : max(1, Int((ordersPerCustomer * exp(0.6 * random.normal()) - 0.3).rounded()))
        var orderDays: [Int] = []
        if orderCount > 0 {
            let start = min(activeEnd, signupDay + random.int(0...30))
            orderDays = (0..<orderCount).map { _ in random.int(start...activeEnd) }
            orderDays.sort()
        }
        let annualRevenue = (12_000 * segment.revenueScale * tier.revenueScale * exp(0.5 * random.normal()))
            .rounded(toPlaces: 2)
        let lastDay = orderDays.last ?? signupDay
        let lifetimeYears = max(0.1, Double(max(lastDay, signupDay) - signupDay + 30) / 365.25).rounded(toPlaces: 1)
        let margin = min(0.6, max(0.05, 0.28 + 0.08 * random.normal())).rounded(toPlaces: 2)
        let orderValue = orderCount > 0 ? annualRevenue * lifetimeYears / Double(orderCount) : 0
        let complaints = max(0, Int((3 * (1 - satisfaction) + 0.8 * random.normal()).rounded()))
        return ExampleCustomer(
            id: id, name: name, region: region.name, city: random.pick(region.cities),
            industry: random.pick(ExampleVocabulary.industries), segment: segment.name, tier: tier.name,
            signupDay: signupDay, orderDays: orderDays, annualRevenue: annualRevenue,
            lifetimeYears: lifetimeYears, margin: margin,
            acquisitionCost: (annualRevenue * (0.05 + 0.1 * random.unit())).rounded(toPlaces: 2),
            npsScore: nil, csat: nil, complaints: complaints,
            supportTickets: complaints + random.int(0...6),
            avgResponseHours: random.chance(0.05) ? nil : max(0.2, 6 + 10 * (1 - satisfaction) + 4 * random.normal()).rounded(toPlaces: 1),
            interactions90d: churned ? random.int(0...2) : random.int(0...25),
            referrals: random.chance(satisfaction * 0.4) ? random.int(1...4) : 0,
            churned: churned, satisfaction: satisfaction, orderValue: orderValue)
    }

    func writeCSVRow(_ c: ExampleCustomer, to out: OutputBuffer) {
        out.write(int: c.id)
        out.write(byte: 44)
        out.write(Self.csvField(c.name))
        for text in [c.region, c.city, c.industry, c.segment, c.tier] {
            out.write(byte: 44)
            out.write(text)
        }
        out.write(byte: 44)
        out.write(day: c.signupDay)
        out.write(byte: 44)
        if let first = c.orderDays.first { out.write(day: first) }
        out.write(byte: 44)
        if let last = c.orderDays.last { out.write(day: last) }
        out.write(byte: 44)
        out.write(int: c.orderDays.count)
        out.write(byte: 44)
        out.write(fixed: c.annualRevenue, decimals: 2)
        out.write(byte: 44)
        out.write(fixed: c.lifetimeYears, decimals: 1)
        out.write(byte: 44)
        out.write(fixed: c.margin, decimals: 2)
        out.write(byte: 44)
        out.write(fixed: c.acquisitionCost, decimals: 2)
        out.write(byte: 44)
        if let nps = c.npsScore { out.write(int: nps) }
        out.write(byte: 44)
        if let csat = c.csat { out.write(int: csat) }
        for number in [c.complaints, c.supportTickets] {
            out.write(byte: 44)
            out.write(int: number)
        }
        out.write(byte: 44)
        if let hours = c.avgResponseHours { out.write(fixed: hours, decimals: 1) }
        for number in [c.interactions90d, c.referrals] {
            out.write(byte: 44)
            out.write(int: number)
        }
        out.write(c.churned ? ",true\n" : ",false\n")
    }

    func writeJSONRow(_ c: ExampleCustomer, to out: OutputBuffer) {
        func key(_ name: String) { out.write(", \"" + name + "\": ") }
        out.write("{\"customer_id\": ")
        out.write(int: c.id)
        for (name, text) in [("name", c.name), ("region", c.region), ("city", c.city), ("industry", c.industry),
                             ("segment", c.segment), ("tier", c.tier)] {
            key(name)
            out.write(Self.jsonString(text))
        }
        for (name, day) in [("signup_date", c.signupDay), ("first_purchase_date", c.orderDays.first),
                            ("last_purchase_date", c.orderDays.last)] {
            key(name)
            if let day {
                out.write(byte: 34)
                out.write(day: day)
                out.write(byte: 34)
            } else {
                out.write("null")
            }
        }
        key("orders_count"); out.write(int: c.orderDays.count)
        key("annual_revenue"); out.write(fixed: c.annualRevenue, decimals: 2)
        key("lifetime_years"); out.write(fixed: c.lifetimeYears, decimals: 1)
        key("margin"); out.write(fixed: c.margin, decimals: 2)
        key("acquisition_cost"); out.write(fixed: c.acquisitionCost, decimals: 2)
        key("nps_score"); out.write(c.npsScore.map(String.init) ?? "null")
        key("csat"); out.write(c.csat.map(String.init) ?? "null")
        key("complaints"); out.write(int: c.complaints)
        key("support_tickets"); out.write(int: c.supportTickets)
        key("avg_response_hours")
        if let hours = c.avgResponseHours { out.write(fixed: hours, decimals: 1) } else { out.write("null") }
        key("interactions_90d"); out.write(int: c.interactions90d)
        key("referrals"); out.write(int: c.referrals)
        key("churned"); out.write(c.churned ? "true" : "false")
        out.write("}\n")
    }

    /// Quotes a CSV field when it holds a comma, quote or newline (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }

    static func jsonString(_ text: String) -> String {
        JSONString.quoted(text)
    }

    static func makeDirectory(_ path: String) throws(GeneratorError) {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            throw .cannotCreateDirectory(path)
        }
        if mkdir(path, 0o755) != 0 { throw .cannotCreateDirectory(path) }
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
