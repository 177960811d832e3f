import CustqLanguage
import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an evaluation stopped.
enum EvaluationError: Error {
    case overflow
    /// Date arithmetic went past the dates custq holds (years 1 to 9999).
    case dateOutOfRange
    case interrupted
}
