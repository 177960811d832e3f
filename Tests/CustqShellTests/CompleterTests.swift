import Foundation
import Testing
import TestSupport
@testable import CustqShell

/// Tab completion in each context it knows, on the example customers and orders: the word
/// being completed and exactly the candidates offered, in order.
@Suite struct CompleterTests {
    func completer() -> Completer {
        let session = Session(console: Captured().console)
        try? session.engine.loadPrelude()
        _ = session.load(path: Repository.example("customers.csv"))
        _ = session.load(path: Repository.example("orders.csv"))
        return Completer(session: session)
    }

    @Test func dotCommandsAfterADot() {
        let result = completer().complete(".s")
        #expect(result.word == ".s")
        #expect(result.candidates == [".schema", ".scoring", ".sql"])
        #expect(completer().complete("  .ORD").candidates == [".orders"])
    }

    @Test func argumentsOfDotCommands() {
        let completer = completer()
        #expect(completer.complete(".schema c").candidates == ["customers"])
        #expect(completer.complete(".use o").candidates == ["orders"])
        #expect(completer.complete(".format c").candidates == ["csv"])
        #expect(completer.complete(".timer o").candidates == ["on", "off"])
        #expect(completer.complete(".tables x").candidates == [])
    }

    @Test func filePathsAfterLoadAndRead() {
        let root = Repository.root + "/examples/"
        let result = completer().complete(".load " + root + "cus")
        #expect(result.word == root + "cus")
        #expect(result.candidates == [root + "customers.csv"])
        #expect(completer().complete(".read " + root + "scr").candidates == [root + "scripts/"])
    }

    @Test func statementHeadsThenAggregatesAndMetrics() {
        let completer = completer()
        #expect(completer.complete("rf").candidates == ["rfm"])
        let nps = completer.complete("np")
        #expect(nps.word == "np")
        #expect(nps.candidates == ["nps", "nps_group", "nps_of"])
        #expect(completer.complete("explain chu").candidates == ["churn_rate"])
    }

    @Test func tablesAfterFromAndColumnsOfThatTable() {
        let completer = completer()
        #expect(completer.complete("from or").candidates == ["orders"])
        #expect(completer.complete("from orders show ch").candidates == ["channel", "churn_rate"])
        #expect(completer.complete("count where reg").candidates == ["region"])
        #expect(completer.complete("top 5 by clv wh").candidates == ["where"])
        #expect(completer.complete("show round(annual_rev").candidates == ["annual_revenue"])
    }

    @Test func commonPrefixOfCandidates() {
        #expect(Completer.commonPrefix(["region", "referrals"]) == "re")
        #expect(Completer.commonPrefix(["rfm"]) == "rfm")
        #expect(Completer.commonPrefix([]) == "")
    }
}
