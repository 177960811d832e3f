import Testing
import TestSupport
import CustqGenerator
import CustqIngest
import CustqRender
import CustqStore
import Foundation

func temporaryDirectory() -> String {
    var template = Array("/tmp/custq-test-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}

func fileBytes(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { return [] }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

func column(_ table: Table, _ name: String) -> [String?] {
    guard let column = table.column(named: name) else { return [] }
    return (0..<table.rowCount).map { ValueText.exact(column, row: $0) }
}

@Suite struct ExampleGeneratorTests {
    func generate(customers: Int = 300, seed: UInt64 = 7, json: Bool = false) throws -> String {
        var generator = ExampleGenerator()
        generator.customers = customers
        generator.seed = seed
        generator.writeCustomersJSON = json
        let directory = temporaryDirectory()
        _ = try generator.write(to: directory)
        return directory
    }

    @Test func sameSeedWritesIdenticalFiles() throws {
        let a = try generate(), b = try generate()
        for file in ["customers.csv", "orders.csv", "responses.json"] {
            #expect(fileBytes(a + "/" + file) == fileBytes(b + "/" + file))
        }
        let c = try generate(seed: 8)
        #expect(fileBytes(a + "/customers.csv") != fileBytes(c + "/customers.csv"))
    }

    @Test func committedExamplesAreReproducible() throws {
        let root = Repository.root
        let fresh = try generate(customers: 2000, seed: 42)
        for file in ["customers.csv", "orders.csv", "responses.json"] {
            #expect(fileBytes(fresh + "/" + file) == fileBytes(root + "/examples/" + file), "examples/\(file) differs: run make examples")
        }
    }

    @Test func customersHaveTheCanonicalColumnsAndTypes() throws {
        let directory = try generate()
        let customers = try DataLoader.load(path: directory + "/customers.csv").table
        #expect(customers.rowCount == 300)
        #expect(customers.columns.map { "\($0.name):\($0.type.displayName)" } == [
            "customer_id:integer", "name:string", "region:string", "city:string", "industry:string",
            "segment:string", "tier:string", "signup_date:date", "first_purchase_date:date",
            "last_purchase_date:date", "orders_count:integer", "annual_revenue:decimal", "lifetime_years:decimal",
            "margin:decimal", "acquisition_cost:decimal", "nps_score:integer", "csat:integer", "complaints:integer",
            "support_tickets:integer", "avg_response_hours:decimal", "interactions_90d:integer", "referrals:integer",
            "churned:boolean",
        ])
        #expect(customers.column(named: "nps_score")!.nullCount > 0)
        #expect(customers.column(named: "csat")!.nullCount > 0)
        #expect(Set(column(customers, "region").compactMap { $0 }).isSuperset(of: ["North", "华东"]))
    }

    @Test func customerRowsAgreeWithTheirOrdersAndResponses() throws {
        let directory = try generate()
        let customers = try DataLoader.load(path: directory + "/customers.csv").table
        let orders = try DataLoader.load(path: directory + "/orders.csv").table
        let responses = try DataLoader.load(path: directory + "/responses.json").table
        #expect(orders.columnNames == ["order_id", "customer_id", "order_date", "amount", "cost", "channel"])
        #expect(responses.columnNames == ["response_id", "customer_id", "response_date", "nps_score", "csat", "comment"])
        var counts: [String: Int] = [:]
        var lastOrder: [String: String] = [:]
        for (id, date) in zip(column(orders, "customer_id"), column(orders, "order_date")) {
            counts[id!, default: 0] += 1
            lastOrder[id!] = max(lastOrder[id!] ?? "", date!)
        }
        var latestNPS: [String: String] = [:]
        for (id, nps) in zip(column(responses, "customer_id"), column(responses, "nps_score")) { latestNPS[id!] = nps! }
        let ids = column(customers, "customer_id")
        let orderCounts = column(customers, "orders_count")
        let lastPurchase = column(customers, "last_purchase_date")
        let nps = column(customers, "nps_score")
        for row in 0..<customers.rowCount {
            let id = ids[row]!
            #expect(orderCounts[row] == String(counts[id] ?? 0))
            #expect(lastPurchase[row] == lastOrder[id])
            #expect(nps[row] == latestNPS[id])
        }
    }

    @Test func customersJSONHoldsTheSameDataAsTheCSV() throws {
        let directory = try generate(customers: 200, json: true)
        let csv = try DataLoader.load(path: directory + "/customers.csv").table
        let json = try DataLoader.load(path: directory + "/customers.json").table
        #expect(json.columnNames == csv.columnNames)
        for name in csv.columnNames { #expect(column(json, name) == column(csv, name), "column \(name)") }
    }
}
