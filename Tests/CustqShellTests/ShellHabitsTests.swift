import CustqLanguage
import Foundation
import Testing
@testable import CustqShell
import CustqText

/// The habits of a shell people know from sqlite3's and DuckDB's (issue 11): settings that
/// say what they are, other shells' spellings, help on every form, completion of every
/// statement word, reports that follow the format, and screens that fit the terminal.
@Suite struct ShellHabitsTests {
    func session(prelude: Bool = true, examples: [String] = ["customers.csv", "orders.csv"]) -> (Session, Captured) {
        let captured = Captured()
        let session = Session(console: captured.console)
        if prelude { try? session.engine.loadPrelude() }
        for file in examples { session.load(path: examplesPath(file)) }
        return (session, captured)
    }

    /// What the session wrote to standard error after the load messages.
    func messages(_ captured: Captured) -> String {
        captured.err.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("loaded ") }.joined(separator: "\n")
    }

    @Test func settingsAloneSayWhatTheyAre() {
        let (session, captured) = session()
        for command in [".format", ".maxrows", ".timer", ".nullvalue", ".output", ".asof"] {
            #expect(session.execute(command) == .ok, "\(command)")
        }
        #expect(messages(captured) == """
            results are written as table (.format table|csv|tsv|json|ndjson|markdown changes it)
            tables show at most 40 rows (.maxrows 0 shows all)
            the timer is off
            null is shown as NULL in tables
            results go to the screen (.output FILE sends them to a file)
            as of 2025-06-30 (the latest order date)

            """)
        #expect(captured.out.isEmpty)
    }

    @Test func asOfDefaultGoesBackToTheLatestOrderDate() {
        // 5,322 orders of examples/orders.csv with a customer are dated after 2024-01-31 (Python's csv).
        let (session, captured) = session()
        #expect(session.execute(".asof 2024-01-31") == .ok)
        #expect(session.execute(".asof") == .ok)
        #expect(session.execute(".asof default") == .ok)
        #expect(session.engine.asOf == nil)
        #expect(messages(captured) == """
            as of 2024-01-31 (set with .asof); 5,322 orders dated after it are left out
            as of 2024-01-31 (set with .asof); 5,322 orders dated after it are left out (.asof default goes back to the latest order date)
            as of 2025-06-30 (the latest order date)

            """)
    }

    @Test func otherShellsSpellingsWork() {
        let (session, captured) = session()
        #expect(session.execute(".mode csv") == .ok)
        #expect(session.format == .csv)
        #expect(session.execute(".mode tabs") == .ok)
        #expect(session.format == .tsv)
        #expect(session.execute(".mode box") == .ok)
        #expect(session.format == .table)
        #expect(session.execute(".headers on") == .ok)
        #expect(messages(captured).contains(
            "custq always writes column headers (in table, csv, tsv and markdown); .headers has nothing to change\n"))
        #expect(session.execute(".mode html") == .failed)
        #expect(captured.err.contains("error: unknown format 'html'"))
        #expect(session.execute(".exti") == .failed)
        #expect(captured.err.contains("help: did you mean .exit? type .help for the list of commands"))
    }

    @Test func exitQuitAndHelpAsStatements() {
        let (session, captured) = session()
        #expect(session.execute("exit") == .quit)
        #expect(session.execute("quit") == .quit)
        #expect(session.execute("help") == .ok)
        #expect(messages(captured) == """
            help is a dot-command here: .help lists every command and query form, .help TOPIC explains one

            """)
    }

    @Test func helpNamesEveryStatementFormAndExplainsEach() {
        let (session, captured) = session()
        #expect(session.execute(".help") == .ok)
        let help = captured.out
        for word in Grammar.statementWords {
            #expect(help.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(word + " ") },
                    "\(word) has an example in .help")
        }
        for topic in ["rfm", "abc", "cohort", "lifecycle", "metrics", "explain", "define", "undefine"] {
            let (one, output) = self.session(examples: [])
            #expect(one.execute(".help \(topic)") == .ok, "\(topic)")
            #expect(!output.out.isEmpty)
        }
    }

    @Test func tablesAndSchemaFollowTheFormat() {
        let (session, captured) = session()
        #expect(session.execute(".format csv") == .ok)
        #expect(session.execute(".tables") == .ok)
        #expect(session.execute(".schema orders") == .ok)
        #expect(captured.out == """
            table,rows,columns,source
            customers,2000,23,\(examplesPath("customers.csv"))
            orders,11068,6,\(examplesPath("orders.csv"))
            column,type,nulls,example,read as
            order_id,integer,0,100001,
            customer_id,integer,0,1,
            order_date,date,0,2024-03-24,
            amount,decimal,0,8773.5,
            cost,decimal,0,6731.4,
            channel,string,0,Online,

            """)
        let (json, output) = self.session()
        #expect(json.execute(".format json") == .ok)
        #expect(json.execute(".schema") == .ok)
        let rows = (try? JSONSerialization.jsonObject(with: Data(output.out.utf8))) as? [[String: Any]]
        #expect(rows?.count == 29)
        #expect(rows?.last?["table"] as? String == "orders" && rows?.last?["column"] as? String == "channel")
    }

    @Test func redefiningABuiltInSaysSoAndUndefineBringsItBack() {
        let (session, captured) = session()
        #expect(session.execute("define clv = annual_revenue * margin") == .ok)
        #expect(session.execute("explain clv") == .ok)
        #expect(captured.out.contains("yours, in place of the built-in (undefine clv brings it back)"))
        #expect(session.execute("undefine clv") == .ok)
        #expect(session.engine.definitions["clv"]?.isBuiltIn == true)
        #expect(session.execute("undefine clv") == .failed)
        #expect(session.execute("define mine = 1") == .ok)
        #expect(session.execute("undefine mine") == .ok)
        #expect(session.engine.definitions["mine"] == nil)
        #expect(messages(captured).hasPrefix("""
            clv now means yours (column); the built-in is replaced: undefine clv brings it back
            clv is the built-in definition again
            error: clv is the built-in definition: there is nothing of yours to undefine
                 | undefine clv
                 |          ^~~
              help: define clv = … replaces it; explain clv shows it
            defined mine (column)
            undefined mine

            """))
    }

    @Test func everyReportFitsAnEightyColumnTerminal() {
        let (session, captured) = session()
        session.terminalWidth = 80
        for command in ["metrics", "describe", ".help", "explain clv", "explain rfm_segment", ".schema customers",
                        "show * limit 5", "rfm", "cohort by quarter", "abc by monetary", ".help orders"] {
            #expect(session.execute(command) == .ok, "\(command)")
        }
        for line in captured.out.split(separator: "\n") {
            #expect(DisplayWidth.of(String(line)) <= 80, "\(line)")
        }
        #expect(captured.out.contains("… 17 more columns (wider than the terminal; .format csv shows all)\n5 rows\n"))
        // Prose wraps between words: no line of explain ends inside one.
        #expect(captured.out.contains("\nformula:  clv = annual_revenue * lifetime_years * margin\n"))
    }

    @Test func wideTerminalsShowReadableColumnsNotStubs() {
        let (session, captured) = session()
        session.terminalWidth = 160
        #expect(session.execute("show * limit 5") == .ok)
        let header = captured.out.split(separator: "\n")[1]
        let cells = header.split(separator: "│").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // Every column shown keeps at least ten characters of its name (or all of it).
        for cell in cells { #expect(!cell.hasSuffix("…") || cell.count >= 10, "\(cell)") }
        #expect(cells.first == "customer_id")
        #expect(captured.out.contains("more columns (wider than the terminal"))
    }

    @Test func completionKnowsEveryStatementWord() {
        let (session, _) = session()
        let completer = Completer(session: session)
        #expect(completer.complete("rf").candidates == ["rfm"])
        #expect(completer.complete("ab").candidates == ["abc"])
        #expect(completer.complete("ex").candidates == ["explain"])
        #expect(completer.complete("me").candidates == ["metrics"])
        #expect(completer.complete("un").candidates == ["undefine"])
        #expect(completer.complete(".ex").candidates == [".exit"])
        #expect(completer.complete("").candidates == Grammar.statementWords)
        // A word that starts no statement is an aggregate or a metric: avg clv by region.
        #expect(completer.complete("av").candidates == ["avg", "avg_response_hours"])
        #expect(completer.complete("np").candidates == ["nps", "nps_group", "nps_of"])
        // After explain, metric names only.
        #expect(completer.complete("explain np").candidates == ["nps", "nps_group", "nps_of"])
        #expect(completer.complete("explain ").candidates == session.engine.definitions.values.map(\.name).sorted())
    }
}
