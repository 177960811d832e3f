import Testing
import TestSupport
@testable import CustqEngine
import CustqLanguage
@testable import CustqShell

/// The one list of built-in functions is what the parser, binder, completion and help read.
@Suite struct FunctionRegistryTests {
    @Test func theParsersAggregateWordsAreTheRegistrysAggregates() {
        #expect(Set(FunctionRegistry.aggregateNames) == Grammar.aggregateWords)
    }

    @Test func everyFunctionIsCompletedAndListedInHelp() {
        let session = Session(console: Captured().console)
        _ = session.load(path: Repository.example("customers.csv"))
        let completer = Completer(session: session)
        let help = HelpTopics.text(for: "functions") ?? ""
        for name in FunctionRegistry.functionNames {
            #expect(completer.complete("show \(name)").candidates.contains(name + "("), "\(name) is not completed")
            #expect(help.contains(name), "\(name) is not in .help functions")
        }
        for name in FunctionRegistry.aggregateNames {
            #expect(completer.complete("\(name)").candidates.contains(name), "\(name) is not completed")
        }
    }

    /// (This found `like(name, 'A%')` refused by the parser, though its help offered it.)
    @Test func everyRowFunctionRefusesOneArgumentTooManyWithItsOwnHelp() throws {
        let session = Session(console: Captured().console)
        _ = session.load(path: Repository.example("customers.csv"))
        for function in FunctionRegistry.all where function.kind == .row && function.name.first!.isLetter {
            // Too many arguments is an arity error naming the function's help, never "unknown function".
            let arguments = Array(repeating: "1", count: function.arity.upperBound + 1).joined(separator: ", ")
            do {
                _ = try session.engine.run("show \(function.name)(\(arguments)) limit 1")
                Issue.record("\(function.name) took \(function.arity.upperBound + 1) arguments")
            } catch {
                #expect(error.message.hasPrefix("\(function.name) takes "), "\(function.name): \(error.message)")
                #expect(error.languageError.help == "\(function.name): \(function.help)")
            }
        }
    }

    /// A value of each type, written as a query writes it.
    static let sample: [ValueType: String] = [
        .integer: "2", .decimal: "2.5", .string: "'2024-01-05'", .boolean: "true",
        .date: "2024-01-05", .timestamp: "timestamp('2024-01-05 10:00')",
    ]

    /// The registry's parameters are what the binder checks: for each one, an argument of a
    /// type it does not take is refused in the parameter's own words.
    @Test func everyParameterRefusesATypeItDoesNotTake() throws {
        let session = Session(console: Captured().console)
        _ = session.load(path: Repository.example("customers.csv"))
        var checked = 0
        for function in FunctionRegistry.all where function.kind == .row {
            for (index, parameter) in function.parameters.enumerated() {
                guard let wrong = Self.sample.keys.sorted(by: { $0.rawValue < $1.rawValue })
                    .first(where: { !parameter.types.contains($0) }) else { continue }
                var arguments = function.parameters.map { Self.sample[$0.types[0]]! }
                arguments[index] = Self.sample[wrong]!
                let call = function.name == "||" ? arguments.joined(separator: " || ") : "\(function.name)(\(arguments.joined(separator: ", ")))"
                do {
                    _ = try session.engine.run("show \(call) limit 1")
                    Issue.record("\(call) was accepted")
                } catch {
                    let article = wrong == .integer ? "an" : "a"
                    #expect(error.message == "\(function.name) needs \(parameter.what), but \(Self.sample[wrong]!) is \(article) \(wrong.rawValue)",
                            "\(call)")
                }
                checked += 1
            }
        }
        #expect(checked == 100)   // 37, and the 63 of the seven model kernels
    }
}
