import Testing
import CustqDiagnostics
@testable import CustqShell

@Suite struct InvocationParserTests {
    @Test func filesAndCommands() throws {
        var expected = ShellOptions()
        expected.files = ["a.csv", "b.json"]
        expected.inputs = [.command(".tables"), .script("report.cq"), .command(".schema a")]
        expected.keepGoing = true
        #expect(try InvocationParser.parse(["a.csv", "-c", ".tables", "-f", "report.cq", "b.json", "-c", ".schema a",
                                            "--keep-going"]) == .shell(expected))
    }

    @Test func loadOptions() throws {
        guard case .shell(let options) = try InvocationParser.parse(
            ["--lenient", "--delimiter", "tab", "--no-header", "--type", "zip=string", "x.csv"]) else {
            Issue.record("not a shell invocation")
            return
        }
        #expect(options.lenient)
        #expect(options.delimiter == 9)
        #expect(!options.hasHeader)
        #expect(options.columnTypes == ["zip": .string])
    }

    @Test func generate() throws {
        #expect(try InvocationParser.parse(["generate", "--customers", "10", "--seed", "3", "out"])
                == .generate(customers: 10, ordersPerCustomer: 5, seed: 3, customersJSON: false, overwrite: false,
                             directory: "out"))
        #expect(try InvocationParser.parse(["generate", "--force", "out"])
                == .generate(customers: 2000, ordersPerCustomer: 5, seed: 42, customersJSON: false, overwrite: true,
                             directory: "out"))
    }

    func message(_ arguments: [String]) -> String {
        do {
            _ = try InvocationParser.parse(arguments)
            return "parsed"
        } catch {
            return DiagnosticRenderer.render(error)
        }
    }

    @Test func typeSplitsAtTheLastEqualsSignATypeFollows() throws {
        // Survey questions hold '=': the type is what follows the last '=' that names one.
        let question = "How satisfied are you? (1 = Very dissatisfied, 5 = Very satisfied)"
        guard case .shell(let options) = try InvocationParser.parse(["--type", question + "=integer",
                                                                     "--type", "Order Date=timestamp:%m/%d/%Y %I:%M %p"]) else {
            Issue.record("not a shell invocation")
            return
        }
        #expect(options.columnTypes == [question: .integer, "Order Date": .timestamp])
        #expect(options.columnFormats.mapValues(\.description) == ["Order Date": "%m/%d/%Y %I:%M %p"])
    }

    @Test func usageErrors() {
        #expect(message(["--lenint"]) == "error: unknown option '--lenint'\n  help: did you mean '--lenient'? (see custq --help)\n")
        #expect(message(["-c"]) == "error: -c needs a value\n  help: see custq --help\n")
        #expect(message(["--type", "zip"]) == "error: --type takes COLUMN=TYPE, got 'zip'\n  help: e.g. --type zip=string or --type 'Date=date:%d/%m/%Y'\n")
        #expect(message(["--type", "d=integer:%Y"]) == "error: only a date or a timestamp takes a format, got --type d=integer:%Y\n  help: e.g. --type 'd=date:%d/%m/%Y'\n")
        #expect(message(["--type", "d=date:%d/%m"]) == "error: --type d=date:%d/%m: '%d/%m' needs a year (%Y), a month (%m or %b) and a day (%d)\n  help: formats use %Y %m %d %H %M %S %p %z %b, e.g. %m/%d/%Y %H:%M\n")
        #expect(message(["--skip", "-1"]) == "error: --skip takes a number of lines from 0 to 1,000,000, got '-1'\n")
        #expect(message(["--type", "zip=money"]) ==
                "error: unknown type 'money' in --type zip=money\n  help: types: integer, decimal, boolean, date, timestamp, string\n")
        #expect(message(["--delimiter", "ab"]) == "error: --delimiter takes one character such as , ; | or 'tab', got 'ab'\n")
        #expect(message(["generate"]) == "error: generate needs a directory to write into\n  help: e.g. custq generate examples\n")
        #expect(message(["generate", "--customers", "0", "d"]) == "error: --customers takes a whole number from 1 to 100,000,000, got '0'\n")
    }
}
