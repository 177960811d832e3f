import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes realistic, deterministic example data: customers.csv, orders.csv and
/// responses.json (and customers.json as NDJSON when asked), consistent with each other:
/// a customer's `orders_count`, first and last purchase dates come from its orders, and
/// its `nps_score`/`csat` from its latest survey response.
public struct ExampleGenerator {
    public var customers = 2000
    public var ordersPerCustomer = 5.0
    public var seed: UInt64 = 42
    public var writeCustomersJSON = false
    /// Whether files already in the directory may be replaced (`--force`).
    public var overwrite = false
    /// The day the data is "exported": no date in the data is later.
    public var exportDay = CivilDate.dayNumber(year: 2025, month: 6, day: 30)

    public init() {}

    public static let customerColumns = [
        "customer_id", "name", "region", "city", "industry", "segment", "tier", "signup_date",
        "first_purchase_date", "last_purchase_date", "orders_count", "annual_revenue", "lifetime_years",
        "margin", "acquisition_cost", "nps_score", "csat", "complaints", "support_tickets",
        "avg_response_hours", "interactions_90d", "referrals", "churned",
    ]

    /// Writes the files into `directory` (created if missing) and returns their paths.
    public func write(to directory: String) throws(GeneratorError) -> [String] {
        try Self.makeDirectory(directory)
        let names = ["customers.csv", "orders.csv", "responses.json"] + (writeCustomersJSON ? ["customers.json"] : [])
        let existing = names.map { directory + "/" + $0 }.filter { access($0, F_OK) == 0 }
        if !existing.isEmpty && !overwrite { throw .wouldOverwrite(existing) }
        var random = SplitMix64(seed: seed)
        let customersCSV = try OutputBuffer(path: directory + "/customers.csv")
        let orders = try OutputBuffer(path: directory + "/orders.csv")
        let responses = try OutputBuffer(path: directory + "/responses.json")
        let customersJSON = writeCustomersJSON ? try OutputBuffer(path: directory + "/customers.json") : nil
        customersCSV.write(Self.customerColumns.joined(separator: ",") + "\n")
        orders.write("order_id,customer_id,order_date,amount,cost,channel\n")
        responses.write("[\n")
        var nextOrderID = 100_001
        var nextResponseID = 1
        var firstResponse = true
        for id in 1...max(1, customers) {
            var customer = makeCustomer(id: id, random: &random)
            // Orders.
            for date in customer.orderDays {
                let amount = max(5, customer.orderValue * exp(0.35 * random.normal())).rounded(toPlaces: 2)
                let cost = (amount * (1 - customer.margin + 0.05 * random.normal())).rounded(toPlaces: 2)
                orders.write(int: nextOrderID)
                orders.write(byte: 44)
                orders.write(int: id)
                orders.write(byte: 44)
                orders.write(day: date)
                orders.write(byte: 44)
                orders.write(fixed: amount, decimals: 2)
                orders.write(byte: 44)
                orders.write(fixed: cost, decimals: 2)
                orders.write(byte: 44)
                orders.write(ExampleVocabulary.channels[random.weightedIndex(ExampleVocabulary.channelWeights)])
                orders.write(byte: 10)
                nextOrderID += 1
            }
            // Survey responses: 0-2 per customer, the latest one also on the customer row.
            let responseCount = random.weightedIndex([0.45, 0.4, 0.15])
            var responseDays = (0..<responseCount).map { _ in
                random.int(max(customer.signupDay, exportDay - 720)...exportDay)
            }
            responseDays.sort()
            customer.npsScore = nil
            customer.csat = nil
            for day in responseDays {
                let nps = min(10, max(0, Int((customer.satisfaction * 10 + 1.8 * random.normal()).rounded())))
                let csat = random.chance(0.1) ? nil : min(5, max(1, Int((1 + customer.satisfaction * 4 + 0.8 * random.normal()).rounded())))
                let bucket = nps >= 9 ? 9 : nps >= 7 ? 7 : 0
                let comment = random.pick(ExampleVocabulary.comments.filter { $0.minimumScore == bucket })
                if !firstResponse { responses.write(",\n") }
                firstResponse = false
                responses.write("  {\"response_id\": \(nextResponseID), \"customer_id\": \(id), \"response_date\": \"")
                responses.write(day: day)
                responses.write("\", \"nps_score\": \(nps), \"csat\": ")
                responses.write(csat.map(String.init) ?? "null")
                responses.write(", \"comment\": " + Self.jsonString(comment.text) + "}")
                responses.flushIfFull()
                nextResponseID += 1
                customer.npsScore = nps
                customer.csat = csat
            }
            writeCSVRow(customer, to: customersCSV)
            if let customersJSON { writeJSONRow(customer, to: customersJSON) }
        }
        responses.write("\n]\n")
        try customersCSV.close()
        try orders.close()
        try responses.close()
        try customersJSON?.close()
        var paths = ["customers.csv", "orders.csv", "responses.json"].map { directory + "/" + $0 }
        if writeCustomersJSON { paths.append(directory + "/customers.json") }
        return paths
    }
}
