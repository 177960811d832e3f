import Foundation
import Testing

/// What custq promises under faults and hostile input (issue 12): the user's files are never
/// harmed, every failure is a message and an exit code, and nothing crashes or hangs.
/// Faults are made for real: /dev/full, closed descriptors, a full filesystem.
@Suite(.serialized) struct SafetyTests {
    /// Runs a shell command line with `$CUSTQ` naming the binary, from the package root.
    static func sh(_ command: String) throws -> Run {
        try Run.command("/bin/sh", ["-c", "export CUSTQ='\(Run.binary)'; " + command])
    }

    static func directory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "custq-safety-\(getpid())/" + name
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) {
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Nothing lost

    @Test func outputNeverWritesOverALoadedFileOrARunningScript() throws {
        let dir = Self.directory("sources")
        let data = dir + "/data.csv"
        Self.write("id,x\n1,2\n", to: data)
        let run = try Run([data, "-c", ".output \(dir)/../sources/data.csv", "-c", "count"])
        #expect(run.status == 1)
        #expect(run.err.contains("error: '\(dir)/../sources/data.csv' is the file the table data was loaded from: custq does not write over it"))
        #expect(try String(contentsOfFile: data, encoding: .utf8) == "id,x\n1,2\n")
        let script = dir + "/report.cq"
        Self.write(".output \(script)\ncount\n", to: script)
        let scripted = try Run([data, "-f", script])
        #expect(scripted.status == 1)
        #expect(scripted.err.contains("is a script custq is running: custq does not write over it"))
        #expect(try String(contentsOfFile: script, encoding: .utf8) == ".output \(script)\ncount\n")
    }

    @Test func generateDoesNotReplaceFilesWithoutForce() throws {
        let dir = Self.directory("generated")
        Self.write("mine\n", to: dir + "/orders.csv")
        let refused = try Run(["generate", "--customers", "5", dir])
        #expect(refused.status == 1)
        #expect(refused.err == "error: \(dir)/orders.csv exists: custq generate does not write over files (--force replaces them)\n")
        #expect(try String(contentsOfFile: dir + "/orders.csv", encoding: .utf8) == "mine\n")
        let forced = try Run(["generate", "--customers", "5", "--force", dir])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: dir + "/orders.csv", encoding: .utf8).hasPrefix("order_id,"))
    }

    @Test func aFullDeviceOrAClosedOutputIsAnErrorAndExitsOne() throws {
        let full = try Self.sh("$CUSTQ examples/customers.csv -c count > /dev/full")
        #expect(full.status == 1)
        #expect(full.err.hasSuffix("error: writing standard output: No space left on device\n"))
        let closed = try Self.sh("$CUSTQ examples/customers.csv -c count >&-")
        #expect(closed.status == 1)
        #expect(closed.err.hasSuffix("error: writing standard output: Bad file descriptor\n"))
        // A reader that goes away (head) ends custq quietly, as it does cat — also when the
        // parent left the closed-pipe signal ignored.
        for ignored in ["", "trap '' PIPE; "] {
            let piped = try Self.sh(ignored + "$CUSTQ examples/orders.csv --format csv -c 'from orders show *' | head -2")
            #expect(piped.out == "order_id,customer_id,order_date,amount,cost,channel\n100001,1,2024-03-24,8773.5,6731.4,Online\n")
            #expect(!piped.err.contains("error"), "\(ignored)")
        }
        // An .output FIFO whose reader quits is a message; the session goes on.
        let fifo = Self.directory("pipes") + "/results"
        unlink(fifo)
        mkfifo(fifo, 0o600)
        let reader = try Self.sh("(head -c 10 '\(fifo)' > /dev/null &); $CUSTQ examples/orders.csv --format csv --keep-going "
                                 + "-c '.output \(fifo)' -c 'from orders show *' -c '.output stdout' -c 'from orders count'")
        #expect(reader.err.contains("error: writing \(fifo): Broken pipe\n"))
        #expect(reader.out == "count\n11068\n")
    }

    @Test func aFullFilesystemIsAnErrorAndEarlierResultsStay() throws {
        guard getuid() == 0 else {
            print("SafetyTests: not root, so no small tmpfs to fill: the full-filesystem test is skipped")
            return
        }
        let mount = Self.directory("small")
        guard try Self.sh("mount -t tmpfs -o size=64k tmpfs '\(mount)'").status == 0 else {
            print("SafetyTests: mounting a tmpfs failed here: the full-filesystem test is skipped")
            return
        }
        defer { _ = try? Self.sh("umount '\(mount)'") }
        let run = try Run(["examples/customers.csv", "--format", "csv", "-c", ".output \(mount)/first.csv", "-c", "count",
                           "-c", ".output \(mount)/big.csv", "-c", "show *"])
        #expect(run.status == 1)
        #expect(run.err.hasSuffix("error: writing \(mount)/big.csv: No space left on device\n"))
        // The first result was written out when its statement ended.
        #expect(try String(contentsOfFile: mount + "/first.csv", encoding: .utf8) == "count\n2000\n")
    }

    @Test func messagesNeverGoIntoTheOutputFileWhenStandardErrorIsClosed() throws {
        let dir = Self.directory("closed")
        let run = try Self.sh("$CUSTQ examples/customers.csv -c '.output \(dir)/out.csv' -c '.format csv' -c count "
                              + "-c 'count where nothing = 1' 2>&-")
        #expect(run.status == 1)
        #expect(try String(contentsOfFile: dir + "/out.csv", encoding: .utf8) == "count\n2000\n")
        // With standard input and output closed too, the file still holds only the results.
        let all = try Self.sh("$CUSTQ examples/customers.csv -c '.output \(dir)/all.csv' -c '.format csv' -c count "
                              + "-c 'count where nothing = 1' <&- >&- 2>&-")
        #expect(all.status == 1)
        #expect(try String(contentsOfFile: dir + "/all.csv", encoding: .utf8) == "count\n2000\n")
    }

    // MARK: Exact values

    @Test func keysOfDifferentKindsRelateByValueAndUnmatchedOrdersAreCounted() throws {
        let dir = Self.directory("keys")
        Self.write("customer_id,name\n001,a\n002,b\n003,c\n", to: dir + "/customers.csv")
        Self.write("order_id,customer_id,order_date,amount\n1,1,2024-01-01,10.5\n2,1,2024-02-01,20\n3,2,2024-03-01,5\n"
                   + "4,9,2024-03-01,5\n", to: dir + "/orders.csv")
        let run = try Run([dir + "/customers.csv", dir + "/orders.csv", "--format", "csv",
                           "-c", "show customer_id, frequency, monetary"])
        #expect(run.status == 0)
        // 001 has orders 1 and 2 (30.5), 002 order 3 (5), 003 none; order 4's customer 9 is no one.
        #expect(run.out == "customer_id,frequency,monetary\n001,2,30.5\n002,1,5.0\n003,0,\n")
        #expect(run.errWithoutTimings.contains("""
            orders: customers.customer_id holds string keys and orders.customer_id integer ones: they are related by value (a text key of digits alone is its number, 001 is 1)
            orders: 1 of 4 orders with a customer_id match no customer (they count for no customer figure)

            """))
    }

    @Test func whatCustqWritesItReadsBackTheSame() throws {
        let dir = Self.directory("roundtrip")
        Self.write("a,b\n\"tab\there\",\"back\\\\slash\"\n\"two\nlines\",plain\n", to: dir + "/tricky.csv")
        let tsv = try Run([dir + "/tricky.csv", "--format", "tsv", "-c", "show *"])
        try tsv.out.write(toFile: dir + "/tricky.tsv", atomically: true, encoding: .utf8)
        let back = try Run([dir + "/tricky.tsv", "--format", "csv", "-c", "show *"])
        let original = try Run([dir + "/tricky.csv", "--format", "csv", "-c", "show *"])
        #expect(back.status == 0 && back.out == original.out)
        // A one-column export with nulls reads back with its nulls.
        Self.write("x\n1\n\n3\n", to: dir + "/one.csv")
        let one = try Run([dir + "/one.csv", "--format", "csv", "-c", "show x", "-c", "count(x is null) as nulls"])
        #expect(one.out == "x\n1\n\n3\nnulls\n1\n")
    }

    @Test func infiniteNumbersAreNullInEveryMachineFormat() throws {
        let csv = try Run(["examples/customers.csv", "--format", "csv", "-c", "show annual_revenue * 1e306 as huge limit 1"])
        #expect(csv.out == "huge\n\n")
        #expect(csv.err.hasSuffix("note: 1 value is infinite or not a number: written as null\n"))
        let json = try Run(["examples/customers.csv", "--format", "json", "-c", "show annual_revenue * 1e306 as huge limit 1"])
        #expect(json.out == "[\n  {\"huge\": null}\n]\n")
    }

    // MARK: No crash

    @Test func extremeValuesAreAnswersOrMessages() throws {
        let dir = Self.directory("extremes")
        Self.write("x,d\n9223372036854775807,2024-01-01\n-9223372036854775808,2024-01-02\n", to: dir + "/ints.csv")
        let describe = try Run([dir + "/ints.csv", "--format", "csv", "-c", "describe x"])
        #expect(describe.status == 0)
        #expect(describe.out.hasPrefix("column,type,count,nulls,distinct,min,p25,median,p75,max,mean,std,top values\n"
                                       + "x,integer,2,0,2,-9223372036854775808,"))
        #expect(describe.out.contains(",9223372036854775807,"))
        Self.write("x\n1e308\n-1e308\n", to: dir + "/wide.csv")
        let histogram = try Run([dir + "/wide.csv", "--format", "csv", "-c", "histogram x bins 2"])
        #expect(histogram.out == "from,to,count\n-1e+308,0.0,1\n0.0,1e+308,1\n")
        let late = try Run([dir + "/ints.csv", "-c", "count where d < d + 110000000"])
        #expect(late.status == 1)
        #expect(late.err.contains("error: a date goes past the dates custq holds (the years 1 to 9999)"))
        let remainder = try Run([dir + "/ints.csv", "--format", "csv", "-c", "show x % -1 as r"])
        #expect(remainder.out == "r\n0\n0\n")
    }

    @Test func longChainsAndSelfReadingScriptsEndInAnswersOrMessages() throws {
        let dir = Self.directory("deep")
        // 2,600 or-terms (36 KB) bind and run; 12,000 + terms are refused with a reason.
        let terms = (0..<2600).map { "nps_score = \($0 % 11)" }.joined(separator: " or ")
        Self.write("count where " + terms + "\n", to: dir + "/or.cq")
        let or = try Run(["examples/customers.csv", "--format", "csv", "-f", dir + "/or.cq"])
        #expect(or.status == 0)
        #expect(or.out == "count\n1131\n")   // every customer with an answer (0–10): 2,000 less 869 nulls
        Self.write("count where annual_revenue > " + Array(repeating: "1", count: 12_000).joined(separator: " + ") + "\n",
                   to: dir + "/plus.cq")
        let plus = try Run(["examples/customers.csv", "-f", dir + "/plus.cq"])
        #expect(plus.status == 1)
        #expect(plus.err.contains("error: this statement has more than 10,000 operators"))
        // A chain of 2,000 definitions: e1999 = annual_revenue + 1999.
        let chain = ["define e0 = annual_revenue"] + (1..<2000).map { "define e\($0) = e\($0 - 1) + 1" }
            + ["show round(e1999 - annual_revenue) as added limit 1"]
        Self.write(chain.joined(separator: "\n") + "\n", to: dir + "/chain.cq")
        let defined = try Run(["examples/customers.csv", "--format", "csv", "-f", dir + "/chain.cq"])
        #expect(defined.status == 0)
        #expect(defined.out == "added\n1999.0\n")
        // Each definition is bound once: 25 that each use the one before twice stand for
        // 2^25 copies of annual_revenue, and 10,000 independent ones are 10,000 bindings.
        let doubling = ["define d0 = annual_revenue"] + (1...25).map { "define d\($0) = d\($0 - 1) + d\($0 - 1)" }
            + ["show round(d25 / annual_revenue) as times limit 1"]
        Self.write(doubling.joined(separator: "\n") + "\n", to: dir + "/doubling.cq")
        let doubled = try Run(["examples/customers.csv", "--format", "csv", "-f", dir + "/doubling.cq"])
        #expect(doubled.out == "times\n33554432.0\n")
        let independent = (0..<10_000).map { "define i\($0) = annual_revenue + \($0)" } + ["show i9999 - annual_revenue as added limit 1"]
        Self.write(independent.joined(separator: "\n") + "\n", to: dir + "/independent.cq")
        let added = try Run(["examples/customers.csv", "--format", "csv", "-f", dir + "/independent.cq"])
        #expect(added.out == "added\n9999.0\n")
        Self.write(".read \(dir)/self.cq\n", to: dir + "/self.cq")
        let recursive = try Run(["-f", dir + "/self.cq"])
        #expect(recursive.status == 1)
        #expect(recursive.err == """
            error: scripts read one another more than 25 deep (.read \(dir)/self.cq)
              help: a script that reads itself never ends; check the .read lines

            """)
    }

    @Test func aLenientLoadSkipsBadRecordsWithoutATrace() throws {
        let dir = Self.directory("lenient")
        Self.write("{\"a\": 1, \"b\": \"x\"}\n[1, 2]\n5\ngarbage\n{\"a\": \"text\", \"phantom\": 1,\n{\"a\": 2, \"b\": \"y\"}\n",
                   to: dir + "/records.ndjson")
        let json = try Run(["--lenient", dir + "/records.ndjson", "-c", ".schema"])
        #expect(json.status == 0)
        #expect(json.err.contains("warning: skipped 4 bad rows (lines 2, 3, 4, 5) in \(dir)/records.ndjson"))
        #expect(json.out.contains("│ a      │ integer │     0 │ 1       │"))
        #expect(!json.out.contains("phantom"))
        Self.write("id,score\n1,5\n2,oops\n3,7\n", to: dir + "/declared.csv")
        let csv = try Run(["--lenient", "--type", "score=integer", dir + "/declared.csv", "--format", "csv", "-c", "show *"])
        #expect(csv.out == "id,score\n1,5\n3,7\n")
        #expect(csv.err.contains("warning: skipped 1 bad row (line 3)"))
    }

    @Test func aFileThatChangesWhileLoadingIsReported() throws {
        // The loader maps the file, then a writer truncates it, then the rows are read.
        let dir = Self.directory("shrinking")
        let path = dir + "/big.csv"
        Self.write("id,text\n" + (1...50_000).map { "\($0),\(String(repeating: "x", count: 40))" }.joined(separator: "\n") + "\n",
                   to: path)
        let run = try Run.command(Run.binary, [path, "-c", ".tables"], truncate: (path, 4096))
        #expect(run.status == 1 || run.status == 0)
        #expect(!run.err.contains("Signal") && !run.err.contains("crashed"))
        if run.status == 1 { #expect(run.err.contains("changed while it was being read: nothing was loaded")) }
    }

    // MARK: No hang

    @Test func inputIsAnsweredStatementByStatementAsItArrives() throws {
        // A program writes one statement and waits for the answer before writing the next.
        let answers = try Run.conversation(["examples/customers.csv", "--format", "csv"],
                                           exchanges: [("count\n", "count\n2000\n"),
                                                       ("count where tier = A\n", "count\n418\n")])
        #expect(answers == ["count\n2000\n", "count\n418\n"])
        let zero = try Run(["-f", "/dev/zero"])
        #expect(zero.status == 1)
        #expect(zero.err == """
            /dev/zero:1: error: a NUL byte: this is not a text script
              help: scripts are UTF-8 text, one statement per line or separated by ;

            """)
    }

    @Test func keysInFewRecordsShareOneColumn() throws {
        let dir = Self.directory("sparse")
        let lines = (0..<1500).map { "{\"id\": \($0), \"k\($0)\": \($0)}" }
        Self.write(lines.joined(separator: "\n") + "\n", to: dir + "/sparse.ndjson")
        let run = try Run([dir + "/sparse.ndjson", "--format", "csv", "-c", ".schema", "-c", "show * limit 2"])
        #expect(run.status == 0)
        #expect(run.out == """
            table,column,type,nulls,example,read as
            sparse,id,integer,0,0,
            sparse,other_fields,string,0,"{""k0"": 0}",
            id,other_fields
            0,"{""k0"": 0}"
            1,"{""k1"": 1}"

            """)
        #expect(run.err.contains("warning: 1,500 of the 1,501 keys in '\(dir)/sparse.ndjson' appear in under 1% of the records"))
    }

    // MARK: Clear messages

    @Test func streamsAndOtherEncodingsAreReadOrNamed() throws {
        // <(…) is a pipe the system gives no size for: it is read to its end, not called empty.
        let fifo = try Self.sh("bash -c '$CUSTQ <(head -3 examples/orders.csv) --format csv -c .tables'")
        #expect(fifo.status == 0)
        #expect(fifo.out.contains("\n63,2,6,/dev/fd/63\n"))
        let dir = Self.directory("encodings")
        // UTF-16 with its byte-order mark (Excel's "Unicode Text") is decoded, and said so.
        let utf16 = Data([0xFF, 0xFE]) + "id,name\n1,北京\n".data(using: .utf16LittleEndian)!
        _ = FileManager.default.createFile(atPath: dir + "/u16.csv", contents: utf16)
        let decoded = try Run(["--format", "csv", dir + "/u16.csv", "-c", "show *"])
        #expect(decoded.out == "id,name\n1,北京\n")
        #expect(decoded.err.contains("\n  read as UTF-16LE (the file is not UTF-8; --encoding NAME reads it otherwise)\n"))
        Self.write("{\"a\": 1e400}\n", to: dir + "/big.json")
        let huge = try Run([dir + "/big.json"])
        #expect(huge.err.hasPrefix("\(dir)/big.json:1:7: error: the number 1e400 is out of range: numbers reach about ±1.8e308\n"))
        // The record is the first level: 511 arrays inside it load, 512 are one level too many.
        Self.write("{\"a\": " + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}\n", to: dir + "/fits.json")
        #expect(try Run([dir + "/fits.json", "-c", "count"]).status == 0)
        Self.write("{\"a\": " + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}\n", to: dir + "/deep.json")
        let deep = try Run([dir + "/deep.json"])
        #expect(deep.err.contains("error: JSON nested more than 512 levels deep"))
        _ = FileManager.default.createFile(atPath: dir + "/empty.json", contents: Data())
        let empty = try Run([dir + "/empty.json"])
        #expect(empty.err == "error: '\(dir)/empty.json' is empty: there is nothing to load\n")
    }

    @Test func wideHeadersAndMixedColumnsLoadAndSaySo() throws {
        let dir = Self.directory("wide")
        Self.write((0..<5000).map { "c\($0)" }.joined(separator: ",") + "\n" + (0..<5000).map(String.init).joined(separator: ",") + "\n",
                   to: dir + "/wide.csv")
        let wide = try Run([dir + "/wide.csv", "--format", "csv", "-c", ".tables"])
        #expect(wide.out.hasSuffix("wide,1,5000,\(dir)/wide.csv\n"))
        Self.write("id,score\n1,Response\n2,5\n3,01151\n", to: dir + "/mixed.csv")
        let mixed = try Run([dir + "/mixed.csv", "-c", "count"])
        #expect(mixed.err.contains("""
            \(dir)/mixed.csv:2:3: warning: column 'score' mixes integer values and text: loaded as string
                2 | 1,Response
                  |   ^~~~~~~~

            """))
    }

    @Test func limitsNamesAndOptionsSayWhatIsWrong() throws {
        let top = try Run(["examples/customers.csv", "-c", "top 2147483648 by annual_revenue"])
        #expect(top.err.contains("error: the number of rows after 'top' must be a whole number from 1 to 1,000,000,000, found number 2147483648"))
        let link = try Run(["examples/customers.csv", "-c", ".link nosuch"])
        #expect(link.status == 1)
        #expect(link.err.contains("error: no loaded table has a column 'nosuch' to relate tables through"))
        let dir = Self.directory("names")
        Self.write("a\u{1B}[31mred,b\n1,2\n", to: dir + "/escape.csv")
        let escaped = try Run([dir + "/escape.csv", "-c", "count where zz = 1"])
        #expect(escaped.err.contains("a\\x1B[31mred"))
        #expect(!escaped.err.contains("\u{1B}"))
        let nul = try Run(["examples/customers.csv", "-c", "count where \u{7F}"])
        #expect(!nul.err.contains("\u{7F}"))
        _ = FileManager.default.createFile(atPath: dir + "/bad.cq", contents: Data("count\ncount where \u{FF}\n".utf8.map { $0 } + [0xC3, 0x28, 0x0A]))
        let script = try Run(["examples/customers.csv", "-f", dir + "/bad.cq"])
        #expect(script.err.contains("\(dir)/bad.cq:3:1: error: invalid UTF-8: byte 0xC3 does not start or continue a character"))
        // A statement that never ends (a parenthesis left open) stops at 1 MiB, saying why.
        Self.write("count\ncount where round(margin\n" + String(repeating: "and margin > 1\n", count: 80_000), to: dir + "/open.cq")
        let open = try Run(["examples/customers.csv", "--format", "csv", "-f", dir + "/open.cq"])
        #expect(open.status == 1)
        #expect(open.out == "count\n2000\n")
        #expect(open.err.hasSuffix("""
            \(dir)/open.cq:2: error: a statement of more than 1 MiB starts here: custq stops reading
              help: the ( at line 2, column 18 is never closed, so the statement runs on

            """))
        let limit = try Run(["examples/customers.csv", "-c", "show customer_id limit 9223372036854775807"])
        #expect(limit.err.contains("error: the limit must be a whole number from 1 to 1,000,000,000, found number 9223372036854775807"))
        let days = try Run(["examples/customers.csv", "-c", "count where signup_date + 2147483647 > signup_date"])
        #expect(days.err.contains("error: a date goes past the dates custq holds (the years 1 to 9999)"))
        #expect(days.err.contains("help: days added to a date must keep it between 0001-01-01 and 9999-12-31"))
        // .orders names the table it reads, and says what that table lacks.
        let orders = try Run(["examples/customers.csv", "examples/orders.csv", "-c", ".orders customers"])
        #expect(orders.status == 1)
        #expect(orders.err.contains("""
            error: customers cannot be read as orders: no column for order_date, amount
              help: .orders customers customer_id=COLUMN order_date=COLUMN amount=COLUMN
            """))
        Self.write("count\n", to: dir + "/locked.cq")
        chmod(dir + "/locked.cq", 0o000)
        // Root reads any file: as root, custq runs as nobody for this one.
        let asUser = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        let locked = try Self.sh(asUser + "$CUSTQ -f '\(dir)/locked.cq'")
        #expect(locked.err == "error: cannot open script '\(dir)/locked.cq': Permission denied\n")
        // A NUL byte in a field: one rule wherever it is — an error, or with --lenient a skipped row.
        for rows in [1, 60_000] {
            let path = dir + "/nul\(rows).csv"
            _ = FileManager.default.createFile(atPath: path, contents: Data(("a,b\n" + (0..<rows - 1).map { "\($0),x\n" }.joined()).utf8)
                                           + Data("9,x".utf8) + Data([0]) + Data("y\n".utf8))
            let strict = try Run([path, "-c", "count"])
            #expect(strict.err.contains("\(path):\(rows + 1):4: error: a NUL byte, which text never holds"), "\(rows)")
            let lenient = try Run(["--lenient", path, "--format", "csv", "-c", "count"])
            #expect(lenient.out == "count\n\(rows - 1)\n", "\(rows)")
            #expect(lenient.err.contains("warning: skipped 1 bad row (line \(rows + 1)) in \(path)"), "\(rows)")
        }
        Self.write("id\n1\n", to: dir + "/-dash.csv")
        let dash = try Run(["--format", "csv", "-c", ".tables", "--", dir + "/-dash.csv"])
        #expect(dash.status == 0)
    }
}
