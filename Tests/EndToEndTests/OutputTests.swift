import Foundation
import Testing

/// Output that is exactly right and errors that point at the real mistake, through the
/// real binary (issue 11). Expected figures are worked by hand or counted with Python's
/// csv module from examples/, as each comment says.
@Suite(.serialized) struct OutputTests {
    static let examples = ["examples/customers.csv", "examples/orders.csv"]

    func run(_ commands: [String], files: [String] = examples, format: String = "table") throws -> Run {
        try Run(files + ["--format", format] + commands.flatMap { ["-c", $0] })
    }

    /// A file of the test's own, in a directory of its own.
    static func file(_ name: String, _ contents: String) -> String {
        let directory = NSTemporaryDirectory() + "custq-output-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try? contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func quotedNamesHeadTheirColumnsWithoutBackticks() throws {
        let path = Self.file("spaced.csv", "Customer Name,annual revenue\nAcme,10\nBolt,20.5\n")
        let run = try run(["sum `annual revenue`", "show `Customer Name`, `annual revenue` * 2 as doubled",
                           "avg(`annual revenue`) by `Customer Name`"], files: [path], format: "csv")
        #expect(run.status == 0)
        #expect(run.out == """
            sum annual revenue
            30.5
            Customer Name,doubled
            Acme,20.0
            Bolt,41.0
            Customer Name,avg(annual revenue)
            Acme,10.0
            Bolt,20.5

            """)
    }

    @Test func resultsThatReadTheOrdersSayTheirAsOfDate() throws {
        // examples/orders.csv's latest order_date is 2025-06-30 (Python's csv).
        for query in ["top 10 by monetary", "count by abc_class", "avg frequency by tier", "count by f_score"] {
            let run = try run([query])
            #expect(run.status == 0, "\(query)")
            #expect(run.out.hasSuffix("note: as of 2025-06-30 (the latest order date)\n"), "\(query): \(run.out)")
        }
    }

    @Test func theSameQuantityHasTheSameDecimalsEverywhere() throws {
        let run = try run(["nps", "nps by region", "histogram annual_revenue bins 4"])
        #expect(run.status == 0)
        let numbers = run.out.split(separator: "\n").filter { $0.hasPrefix("│") }.compactMap { line in
            line.split(separator: "│").last?.trimmingCharacters(in: .whitespaces)
        }.filter { $0.first == "-" || $0.first?.isNumber == true }
        #expect(numbers.count == 8)
        #expect(numbers.allSatisfy { $0.range(of: #"^-?[0-9]+\.[0-9]{2}$"#, options: .regularExpression) != nil }, "\(numbers)")
        // Bin edges: 786.9 to 482,533.25 in four bins of 120,436.5875, every label with two decimals.
        #expect(run.out.contains("""
            histogram of annual_revenue
            786.90 – 121,223.49     │
            """))
        #expect(run.out.contains("\n362,096.66 – 482,533.25 │ 2\n"))
    }

    @Test func rfmAndAbcSayWhatTheirCountIs() throws {
        // 1,923 of the 2,000 customers have an order (Python's csv): they have a segment.
        let rfm = try run(["rfm", "abc by monetary", "rfm where tier = A"])
        #expect(rfm.out.contains("\n10 rows (1,923 of 2,000 customers have an RFM segment)\n"))
        #expect(rfm.out.contains("\n3 rows (1,923 of 2,000 customers have a value of monetary)\n"))
        #expect(rfm.out.contains(" of 2,000 customers match and have an RFM segment)\n"))
    }

    @Test func oneIsSingular() throws {
        let path = Self.file("one-missing.csv", "id,x\n1,5\n2,\n3,7\n")
        let run = try run(["top 2 by x", "histogram x"], files: [path])
        #expect(run.out.contains("2 rows\nnote: 1 row with no x was left out\n"))
        #expect(run.out.hasSuffix("note: 1 row with no x was left out\n"))
        #expect(run.errWithoutTimings == "loaded one-missing: 3 rows, 2 columns from \(path) in TIME\n")
        #expect(!run.out.contains("1 rows"))
    }

    @Test func aTablesOwnKeyIdentifiesItsRows() throws {
        // The three largest amounts of examples/orders.csv (Python's csv): orders 110917, 101496, 107446.
        let run = try run(["from orders top 3 by amount"], format: "csv")
        #expect(run.out == "order_id,amount\n110917,807437.67\n101496,692794.19\n107446,621800.28\n")
    }

    @Test func aValueTheColumnNeverHoldsGetsANote() throws {
        let run = try run(["count where region = Nort", "count where tier = a", "count where tier in (A, Bee)"], format: "csv")
        #expect(run.out == "count\n0\ncount\n0\ncount\n418\n")
        #expect(run.err.contains("note: no region is 'Nort' (did you mean North?)\n"))
        #expect(run.err.contains("note: no tier is 'a' (did you mean A?)\n"))
        #expect(run.err.contains("note: no tier is 'Bee'\n"))
    }

    @Test func aMeasureUsedPerRowSaysWhatItIs() throws {
        for (query, column) in [("top 5 by nps", 9), ("show name, nps", 11), ("count where nps > 0", 12)] {
            let run = try run([query])
            #expect(run.status == 1)
            #expect(run.err.hasSuffix("""
                error: nps is a measure over a group of rows, not a value per row
                     | \(query)
                     | \(String(repeating: " ", count: column))^~~
                  help: compute it per group: nps by region, or nps alone for all rows; each row's own value is nps_score (e.g. top 5 by nps_score)

                """), "\(query): \(run.err)")
        }
    }

    @Test func namesThatAreNotMetricsOrColumns() throws {
        let explain = try run(["explain annual_revenue"])
        #expect(explain.err.hasSuffix("""
            error: annual_revenue is a column of customers (decimal), not a metric
              help: describe annual_revenue summarises it; metrics lists the metrics

            """))
        // The name being defined is never the suggestion for a name it uses.
        let define = try run(["define a1 = b1 + 1"])
        #expect(define.status == 1)
        #expect(!define.err.contains("did you mean 'a1'"))
        let typo = try run(["cout by tier"])
        #expect(typo.err.hasSuffix("""
            error: unknown column 'cout'
                 | cout by tier
                 | ^~~~
              help: did you mean 'count'?

            """))
        // help lists each name once (avg_response_hours is a column and a metric).
        let unknown = try run(["count where zzzzzzz = 1"])
        #expect(unknown.err.components(separatedBy: "avg_response_hours").count == 2)
    }
}
