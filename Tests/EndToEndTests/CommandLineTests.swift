import Foundation
import Testing
import TestSupport

/// Runs the built `custq` binary as a user would, from the package root.
struct Run {
    var status: Int32
    var out: String
    var err: String

    static var root: String { Repository.root }

    static var binary: String { Repository.custq }

    init(_ arguments: [String], input: String? = nil) throws {
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        let process = try Run.started(Run.binary, arguments, input: inPipe, output: outPipe, error: errPipe)
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        (out, err) = Run.collect(outPipe, errPipe)
        process.waitUntilExit()
        status = process.terminationStatus
    }

    /// Reads standard output and standard error to their ends at the same time, so that
    /// a program filling one pipe is never held up while the other is read.
    static func collect(_ outPipe: Pipe, _ errPipe: Pipe) -> (out: String, err: String) {
        let collected = Collected()
        let group = DispatchGroup()
        for (index, pipe) in [outPipe, errPipe].enumerated() {
            DispatchQueue.global().async(group: group) {
                collected.set(index, pipe.fileHandleForReading.readDataToEndOfFile())
            }
        }
        group.wait()
        return (collected.text(0), collected.text(1))
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = [Data(), Data()]
        func set(_ index: Int, _ value: Data) { lock.withLock { data[index] = value } }
        func text(_ index: Int) -> String { lock.withLock { String(decoding: data[index], as: UTF8.self) } }
    }

    /// Standard error with load timings ("in 12 ms") replaced, so it can be compared exactly.
    var errWithoutTimings: String {
        err.replacingOccurrences(of: #" in [0-9.]+ m?s\b"#, with: " in TIME", options: .regularExpression)
    }
}

func expectedFile(_ name: String) -> String {
    (try? String(contentsOfFile: Run.root + "/examples/expected/" + name, encoding: .utf8)) ?? "(missing \(name))"
}

@Suite(.serialized) struct CommandLineTests {
    @Test func schemaOfExampleCustomers() throws {
        let run = try Run(["examples/customers.csv", "-c", ".schema customers"])
        #expect(run.status == 0)
        #expect(run.out == expectedFile("schema-customers.txt"))
        #expect(run.errWithoutTimings == "loaded customers: 2,000 rows, 23 columns from examples/customers.csv in TIME\n")
    }

    @Test func tablesOfAllExamples() throws {
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "examples/responses.json", "-c", ".tables"])
        #expect(run.status == 0)
        #expect(run.out == expectedFile("tables.txt"))
        #expect(!run.out.contains("\u{1B}"))
    }

    @Test func missingFileExitsOne() throws {
        let run = try Run(["examples/customer.csv", "-c", ".tables"])
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(run.err == "error: cannot open 'examples/customer.csv': no such file\n")
    }

    @Test func failingCommandExitsOneAndStopsThere() throws {
        let run = try Run(["-c", ".schema nothing", "-c", ".tables"])
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(run.err == """
            -c #1: error: no table named 'nothing'
                 | .schema nothing
                 |         ^~~~~~~
              help: no tables are loaded: load one with .load FILE

            """)
    }

    @Test func usageErrorExitsTwo() throws {
        let run = try Run(["--frobnicate"])
        #expect(run.status == 2)
        #expect(run.err == "error: unknown option '--frobnicate'\n  help: see custq --help\n")
    }

    @Test func helpAndVersion() throws {
        let help = try Run(["--help"])
        #expect(help.status == 0)
        #expect(help.out.hasPrefix("usage: custq [OPTIONS] [FILE... | postgresql://USER@HOST:PORT/DB]\n"))
        let version = try Run(["--version"])
        #expect(version.out == "custq 0.1.0\n")
    }

    @Test func pipedCommandsRunWithoutPrompt() throws {
        let run = try Run(["examples/orders.csv"], input: "-- list them\n.tables\n.quit\n.schema orders\n")
        #expect(run.status == 0)
        #expect(run.out == expectedFile("tables-orders.txt"))
    }

    @Test func pipedErrorNamesTheLine() throws {
        let run = try Run([], input: ".tables\n.lod x.csv\n.tables\n")
        #expect(run.status == 1)
        #expect(run.err == """
            <stdin>:2:1: error: unknown command '.lod'
                2 | .lod x.csv
                  | ^~~~
              help: did you mean .load? type .help for the list of commands

            """)
    }

    @Test func lenientLoadReportsSkippedLines() throws {
        let directory = NSTemporaryDirectory() + "custq-e2e-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/bad.csv"
        try "id,name\n1,a\n2,b,c\n3,c\n".write(toFile: path, atomically: true, encoding: .utf8)
        let strict = try Run([path, "-c", ".tables"])
        #expect(strict.status == 1)
        #expect(strict.err.hasPrefix(path + ":3:5: error: this row has 3 fields, expected 2 as in the header\n"))
        let lenient = try Run(["--lenient", path, "-c", ".tables"])
        #expect(lenient.status == 0)
        #expect(lenient.errWithoutTimings == """
            loaded bad: 2 rows, 2 columns from \(path) in TIME
            warning: skipped 1 bad row (line 3) in \(path)

            """)
    }

    @Test func generateWritesTheExampleFiles() throws {
        let directory = NSTemporaryDirectory() + "custq-gen-\(getpid())"
        let run = try Run(["generate", "--customers", "50", "--customers-json", directory])
        #expect(run.status == 0)
        for file in ["customers.csv", "orders.csv", "responses.json", "customers.json"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file))
        }
        let load = try Run([directory + "/customers.json", "-c", ".tables"])
        #expect(load.status == 0)
        #expect(load.out.contains("│ customers │   50 │      23 │"))
    }
}

/// Every query form, in each output format, against committed expected output.
@Suite(.serialized) struct QueryScriptTests {
    /// Every script in examples/scripts (but the one with deliberate mistakes), in each
    /// format, against examples/expected/SCRIPT.FORMAT.
    static let scripts = ["forms", "report"]

    @Test(arguments: scripts, ["table", "csv", "tsv", "json", "ndjson", "markdown"])
    func scriptMatchesExpectedOutput(script: String, format: String) throws {
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "--format", format,
                           "-f", "examples/scripts/\(script).cq"])
        #expect(run.status == 0)
        #expect(run.out == expectedFile(script + "." + format),
                "run: custq examples/customers.csv examples/orders.csv --format \(format) -f examples/scripts/\(script).cq")
        #expect(!run.out.contains("\u{1B}"))
    }

    @Test func pipedScriptGivesTheSameOutput() throws {
        let script = try String(contentsOfFile: Run.root + "/examples/scripts/forms.cq", encoding: .utf8)
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "--format", "csv"], input: script)
        #expect(run.status == 0)
        #expect(run.out == expectedFile("forms.csv"))
    }

    @Test func scriptStopsAtTheFirstErrorWithFileLineAndColumn() throws {
        let run = try Run(["examples/customers.csv", "-f", "examples/scripts/errors.cq"])
        #expect(run.status == 1)
        #expect(run.out.hasSuffix("1 row (418 of 2,000 rows matched)\n"))
        #expect(run.errWithoutTimings == """
            loaded customers: 2,000 rows, 23 columns from examples/customers.csv in TIME
            examples/scripts/errors.cq:3:35: error: unknown column 'regoin'
                3 | count where tier = A; count where regoin = North
                  |                                   ^~~~~~
              help: did you mean 'region'?

            """)
    }

    @Test func keepGoingReportsEveryErrorAndStillFails() throws {
        let run = try Run(["examples/customers.csv", "--keep-going", "-f", "examples/scripts/errors.cq"])
        #expect(run.status == 1)
        #expect(run.out.hasSuffix("│ 2,000 │\n└───────┘\n1 row\n"))
        #expect(run.err.contains("examples/scripts/errors.cq:4:5: error: avg needs numbers, but region is a string"))
    }

    @Test func missingScriptIsAnError() throws {
        let run = try Run(["-f", "examples/scripts/nothing.cq"])
        #expect(run.status == 1)
        #expect(run.err == "error: cannot open script 'examples/scripts/nothing.cq': no such file\n")
    }

    @Test func outputRedirectsResultsToAFile() throws {
        let path = NSTemporaryDirectory() + "custq-output-\(getpid()).csv"
        let run = try Run(["examples/customers.csv", "-c", ".format csv", "-c", ".output \(path)", "-c", "count by tier",
                           "-c", ".output", "-c", ".output stdout", "-c", "count"])
        #expect(run.status == 0)
        #expect(run.out == "count\n2000\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "tier,count\nA,418\nB,708\nC,874\n")
        // .output alone says where results go.
        #expect(run.err.contains("results go to \(path) (.output stdout brings them back to the screen)\n"))
    }

    @Test func asOfDefaultsToTheLatestOrderDate() throws {
        // examples/orders.csv ends on 2025-06-30 (its latest order_date, read with Python's csv).
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "--format", "csv",
                           "-c", "show today() as d limit 1", "-c", ".asof 2024-01-01", "-c", "show today() as d limit 1",
                           "-c", ".asof default", "-c", "show today() as d limit 1"])
        #expect(run.out == "d\n2025-06-30\nd\n2024-01-01\nd\n2025-06-30\n")
    }

    @Test func useAsofNullvalueAndReadCommands() throws {
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "--format", "csv",
                           "-c", ".use orders", "-c", "count", "-c", ".asof 2024-02-29", "-c", "show today() as d limit 1",
                           "-c", ".read examples/scripts/errors.cq"])
        #expect(run.status == 1)
        #expect(run.out.hasPrefix("count\n11068\nd\n2024-02-29\n"))
        #expect(run.err.contains("examples/scripts/errors.cq:2:10: error: unknown column 'tier'"))
    }

    @Test func jsonOutputIsValidJSON() throws {
        let run = try Run(["examples/customers.csv", "--format", "json", "-c", "avg annual_revenue, count by region"])
        let data = Data(run.out.utf8)
        let parsed = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        #expect(parsed?.count == 7)
        #expect(parsed?.first?["region"] as? String == "East")
    }

    @Test func queryErrorExitsOneWithCaret() throws {
        // clv is a built-in metric (the prelude), so it is what the typo is closest to.
        let run = try Run(["examples/customers.csv", "-c", "top 5 by clvv"])
        #expect(run.status == 1)
        #expect(run.err.hasSuffix("""
            error: unknown column 'clvv'
                 | top 5 by clvv
                 |          ^~~~
              help: did you mean 'clv'?

            """))
    }

    @Test func sqlIsWrittenInsteadOfRunAndItsMistakesShowTheLineAsTyped() throws {
        let written = try Run(["--sql", "spark", "examples/customers.csv", "-c", "count by tier"])
        #expect(written.status == 0)
        #expect(written.out == """
            SELECT `tier` AS `tier`,
                   count(*) AS `count`
            FROM `customers`
            GROUP BY 1
            ORDER BY `tier` ASC NULLS LAST;

            """)
        let mistake = try Run(["examples/customers.csv", "-c", ".sql postgres count by tierr"])
        #expect(mistake.status == 1)
        #expect(mistake.err.contains("""
            error: unknown column 'tierr'
                 | .sql postgres count by tierr
                 |                        ^~~~~
            """))
        let dialect = try Run(["examples/customers.csv", "-c", ".sql mysql count"])
        #expect(dialect.err.hasSuffix("help: the dialect is named first: .sql postgres QUERY (duckdb, postgres or spark)\n"))
        let unknown = try Run(["--sql", "oracle", "-c", "count"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("unknown SQL dialect 'oracle'"))
    }
}

/// The metric library: `metrics` lists it, `explain` teaches one metric on the loaded data.
@Suite(.serialized) struct MetricLibraryTests {
    @Test(arguments: ["clv", "nps", "churn_rate"])
    func explainMatchesExpectedOutput(metric: String) throws {
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "-c", "explain \(metric)"])
        #expect(run.status == 0)
        #expect(run.out == expectedFile("explain-\(metric).txt"))
    }

    @Test func metricsListsEveryDefinitionAndWhetherItCanBeComputed() throws {
        let run = try Run(["examples/customers.csv", "examples/orders.csv", "-c", "metrics"])
        #expect(run.status == 0)
        #expect(run.out == expectedFile("metrics.txt"))
        let json = try Run(["examples/customers.csv", "--format", "json", "-c", "metrics"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        #expect(parsed?.first(where: { $0["metric"] as? String == "nps" })?["per"] as? String == "group")
        let ordersOnly = try Run(["examples/orders.csv", "-c", "metrics"])
        #expect(ordersOnly.out.contains("│ clv "))
        #expect(ordersOnly.out.contains("no: unknown column 'annual_revenue'"))
    }

    @Test func explainShowsTheFormTheLoadedDataUses() throws {
        // Customer 1 has 2 orders in examples/orders.csv and orders_count 2 in customers.csv.
        let withOrders = try Run(["examples/customers.csv", "examples/orders.csv", "-c", "explain frequency"])
        #expect(withOrders.out.contains("  frequency = count(orders)\n  frequency = 2\n"))
        // rfm_segment reads today() three definitions down (r_score → recency_days → today()).
        let segment = try Run(["examples/customers.csv", "examples/orders.csv", "-c", "explain rfm_segment"])
        #expect(segment.out.hasSuffix("as of 2025-06-30 (the latest order date); set another with .asof YYYY-MM-DD\n"))
        let customersOnly = try Run(["examples/customers.csv", "-c", "explain frequency"])
        #expect(customersOnly.out.contains("  frequency = orders_count\n  frequency = 2\n"))
    }

    @Test func rfmAndAbcErrorsPointAtWhatWasWritten() throws {
        let run = try Run(["examples/customers.csv", "-c", "abc by region"])
        #expect(run.status == 1)
        #expect(run.err.hasSuffix("""
            error: abc needs numbers, but region is a string
                 | abc by region
                 |        ^~~~~~

            """))
    }

    @Test func noPreludeStartsWithoutMetrics() throws {
        let run = try Run(["--no-prelude", "examples/customers.csv", "-c", "metrics"])
        #expect(run.out == "no metrics defined: define one with define NAME = EXPR\n")
    }

    @Test func rfmWithoutTheLibrarySaysWhatItReads() throws {
        let run = try Run(["--no-prelude", "examples/customers.csv", "-c", "define frequency = orders_count; rfm"])
        #expect(run.status == 1)
        #expect(run.err.hasSuffix("""
            error: rfm reads the metric library's rfm_segment, rfm_segment_order, monetary, recency_days, and they are not defined
                 | define frequency = orders_count; rfm
                 |                                  ^~~
              help: start custq without --no-prelude, or define them (explain rfm_segment shows the library's)

            """), "\(run.err)")
    }

    @Test func explainUnknownMetricSuggests() throws {
        let run = try Run(["examples/customers.csv", "-c", "explain npss"])
        #expect(run.status == 1)
        #expect(run.err.hasSuffix("error: no metric named 'npss'\n  help: did you mean nps?\n"))
    }
}

extension MetricLibraryTests {
    /// An export whose columns have other names works once they are mapped with define.
    @Test func renamedColumnsMappedWithDefineGiveIdenticalResults() throws {
        let directory = NSTemporaryDirectory() + "custq-renamed-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: Run.root + "/examples/customers.csv", encoding: .utf8)
        let header = original.prefix { $0 != "\n" }
        let renamed = header.replacingOccurrences(of: "annual_revenue", with: "yearly_spend")
            .replacingOccurrences(of: "margin", with: "profit_pct") + original.drop { $0 != "\n" }
        let path = directory + "/customers.csv"
        try renamed.write(toFile: path, atomically: true, encoding: .utf8)
        let query = "avg clv, sum gross_profit, gross_margin_rate, avg ltv_cac_ratio by tier"
        let expected = try Run(["examples/customers.csv", "--format", "csv", "-c", query])
        let mapped = try Run([path, "--format", "csv", "-c", "define annual_revenue = yearly_spend",
                              "-c", "define margin = profit_pct", "-c", query])
        #expect(expected.status == 0 && mapped.status == 0)
        #expect(mapped.out == expected.out)
        #expect(expected.out.hasPrefix("tier,avg clv,sum gross_profit,gross_margin_rate,avg ltv_cac_ratio\nA,"))
    }

    /// Every built-in metric computes on the examples, alone and by a group.
    @Test func everyMetricComputesAloneAndByGroup() throws {
        let list = try Run(["examples/customers.csv", "examples/orders.csv", "examples/responses.json", "--format", "json",
                            "-c", "metrics"])
        let rows = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 47)
        for row in rows {
            var metric = row["metric"] as? String ?? ""
            #expect(row["usable"] as? String == "yes", "\(metric)")
            // A function of a question (nps_of(q)) is used on a survey question of the examples;
            // one of several values (weights, rates) on 0.5 each.
            if let open = metric.firstIndex(of: "(") {
                let parameters = metric[open...].split(separator: ",").count
                let value = parameters == 1 ? "nps_score" : "0.5"
                metric = metric[..<open] + "(" + Array(repeating: value, count: parameters).joined(separator: ", ") + ")"
            }
            let item = row["per"] as? String == "group" ? metric : "count(\(metric) is not null) as n"
            let run = try Run(["examples/customers.csv", "examples/orders.csv", "examples/responses.json", "--format", "csv",
                               "-c", ".asof 2025-06-30", "-c", item, "-c", item + " by region"])
            #expect(run.status == 0, "\(metric): \(run.err)")
            #expect(run.out.split(separator: "\n").count == 2 + 1 + 7, "\(metric): \(run.out)")
            #expect(!run.out.hasPrefix("n\n0\n"), "\(metric) has no value for any customer")
        }
    }
}

extension Run {
    /// Runs another program (a shell, to redirect descriptors) from the package root.
    /// `truncate`: once the file is mapped by the program, cut it to that many bytes.
    static func command(_ executable: String, _ arguments: [String], truncate: (path: String, size: Int)? = nil) throws -> Run {
        let outPipe = Pipe(), errPipe = Pipe()
        let process = try started(executable, arguments, input: FileHandle.nullDevice, output: outPipe, error: errPipe)
        if let truncate {
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline {
                let maps = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/maps", encoding: .utf8)) ?? ""
                if maps.contains(truncate.path) { break }
                usleep(1_000)
            }
            _ = Glibc.truncate(truncate.path, off_t(truncate.size))
        }
        let (out, err) = collect(outPipe, errPipe)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, out: out, err: err)
    }

    /// A program started from the package root with the given standard descriptors.
    static func started(_ executable: String, _ arguments: [String], input: Any, output: Any, error: Any) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Run.root)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return process
    }

    init(status: Int32, out: String, err: String) {
        self.status = status
        self.out = out
        self.err = err
    }

    /// Talks with custq over its standard input: writes each input, then reads standard
    /// output until the expected answer has come (or 30 s pass), before writing the next.
    /// Returns what came back after each input.
    static func conversation(_ arguments: [String], exchanges: [(input: String, answer: String)]) throws -> [String] {
        let inPipe = Pipe(), outPipe = Pipe()
        let process = try started(Run.binary, arguments, input: inPipe, output: outPipe, error: FileHandle.nullDevice)
        let reader = outPipe.fileHandleForReading.fileDescriptor
        var answers: [String] = []
        for exchange in exchanges {
            inPipe.fileHandleForWriting.write(Data(exchange.input.utf8))
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !String(decoding: received, as: UTF8.self).hasSuffix(exchange.answer) {
                var poller = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = read(reader, &buffer, buffer.count)
                if count <= 0 { break }
                received += buffer.prefix(count)
            }
            answers.append(String(decoding: received, as: UTF8.self))
        }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return answers
    }
}
