import CustqDiagnostics
import CustqIngest
import CustqRender
import CustqStore
import CustqText

/// What the command line asked for.
public enum Invocation: Equatable {
    /// Load files, then run commands or open the prompt.
    case shell(ShellOptions)
    /// `custq generate …`: write example data.
    case generate(customers: Int, ordersPerCustomer: Double, seed: UInt64, customersJSON: Bool, overwrite: Bool,
                  directory: String)
    case help
    case version
}
