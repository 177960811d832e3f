import CustqDiagnostics
import CustqIngest
import CustqRender
import CustqStore
import CustqText

/// Walks the command-line words; a flag's value is the word after it.
struct ArgumentCursor {
    private let arguments: [String]
    private var index = 0

    init(_ arguments: [String]) {
        self.arguments = arguments
    }

    mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    mutating func value(for flag: String) throws(Diagnostic) -> String {
        guard let value = next() else { throw Diagnostic.error("\(flag) needs a value", help: "see custq --help") }
        return value
    }
}
