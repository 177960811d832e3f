import Testing
import TestSupport
import CustqEngine
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
}
