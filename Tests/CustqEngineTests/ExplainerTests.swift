import Testing
import TestSupport
import CustqIngest
import CustqResult
@testable import CustqEngine

/// `explain` as the engine's model: facts, inputs and the worked example as data.
@Suite struct ExplainerTests {
    func customersOnly() throws -> Engine {
        let engine = Engine()
        engine.catalog.add(try DataLoader.load(path: Repository.example("customers.csv")).table)
        try engine.loadPrelude()
        return engine
    }

    /// The first value of a one-row result, as a number.
    func number(_ value: MetricExplanation.Value) -> Double? {
        switch value.column.values {
        case .integer(let v): Double(v[0])
        case .decimal(let v): v[0]
        default: nil
        }
    }

    @Test func aMeasureIsWorkedFromTheAggregatesOfTheFormInUse() throws {
        let engine = try customersOnly()
        let explanation = try engine.explanation(of: "nps")
        #expect(explanation.computes == .measure)
        #expect(explanation.names == ["Net Promoter Score", "净推荐值"])
        guard case .measure(let parts, _, let value, _) = explanation.example else {
            Issue.record("no measure example")
            return
        }
        // Without responses, the customers' own nps_score column: its three counts.
        #expect(parts.map(\.text) == ["count(nps_score >= 9)", "count(nps_score <= 6)", "count(nps_score)"])
        let counts = try ["nps_score >= 9", "nps_score <= 6", "nps_score is not null"].map { condition in
            try csv(engine, "count where \(condition)").split(separator: "\n")[1]
        }
        #expect(parts.map { number($0.value).map { String(Int($0)) } } == counts.map(String.init))
        let promoters = number(parts[0].value)!, detractors = number(parts[1].value)!, answered = number(parts[2].value)!
        #expect(abs(number(value)! - 100 * (promoters - detractors) / answered) < 1e-9)
    }

    @Test func aPerRowMetricNamesItsRowAndItsInputsDownToTheColumns() throws {
        let engine = try customersOnly()
        let explanation = try engine.explanation(of: "clv")
        #expect(explanation.computes == .perRow)
        let columns = explanation.inputs.compactMap { input -> String? in
            if case .column(let table, _, _) = input.kind { return "\(table).\(input.name)" }
            return nil
        }
        #expect(!columns.isEmpty && columns.allSatisfy { $0.hasPrefix("customers.") })
        guard case .row(let who, _, let worked, _, let without) = explanation.example else {
            Issue.record("no row example")
            return
        }
        #expect(who.map(\.column) == ["customer_id", "name"])
        #expect(worked != nil)
        #expect(without.map { number($0.total) } == 2000)
    }

    @Test func aColumnOrAnUnknownNameIsRefusedWithWhatItIs() throws {
        let engine = try customersOnly()
        #expect(throws: ExplainRefusal.self) { try engine.explanation(of: "annual_revenue") }
        do {
            _ = try engine.explanation(of: "npss")
        } catch {
            guard case .unknown(let name, let closest) = error else {
                Issue.record("not unknown: \(error)")
                return
            }
            #expect(name == "npss" && closest == "nps")
        }
        do {
            _ = try engine.explanation(of: "annual_revenue")
        } catch {
            guard case .isAColumn(let column, let table, let type, let inDefault) = error else {
                Issue.record("not a column: \(error)")
                return
            }
            #expect(column == "annual_revenue" && table == "customers" && type == .decimal && inDefault)
        }
    }
}
