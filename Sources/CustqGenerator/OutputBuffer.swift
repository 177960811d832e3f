import CustqStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes written to a file in large chunks, with the number formatting the generator
/// needs done by hand (millions of rows: no String per value).
final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let file: UnsafeMutablePointer<FILE>
    let path: String

    init(path: String) throws(GeneratorError) {
        guard let file = fopen(path, "wb") else { throw .cannotWrite(path) }
        self.file = file
        self.path = path
        bytes.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        flushIfFull()
    }

    func write(byte: UInt8) { bytes.append(byte) }

    func write(int value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            write(int: -value)
            return
        }
        if value >= 10 { write(int: value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A fixed-point number with `decimals` digits after the point (value already rounded).
    func write(fixed value: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        var scaled = Int((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        let whole = scaled / scale
        scaled %= scale
        write(int: whole)
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            var divisor = scale / 10
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(scaled / divisor % 10))
                divisor /= 10
            }
        }
    }

    func write(day: Int) {
        let (y, m, d) = CivilDate.components(ofDay: day)
        write(int: y)
        bytes.append(UInt8(ascii: "-"))
        if m < 10 { bytes.append(UInt8(ascii: "0")) }
        write(int: m)
        bytes.append(UInt8(ascii: "-"))
        if d < 10 { bytes.append(UInt8(ascii: "0")) }
        write(int: d)
    }

    func flushIfFull() {
        if bytes.count >= 1 << 20 { flush() }
    }

    func flush() {
        bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        bytes.removeAll(keepingCapacity: true)
    }

    func close() throws(GeneratorError) {
        flush()
        if fclose(file) != 0 { throw .cannotWrite(path) }
    }
}

public enum GeneratorError: Error, Equatable {
    case cannotWrite(String)
    case cannotCreateDirectory(String)

    public var message: String {
        switch self {
        case .cannotWrite(let path): "cannot write '\(path)'"
        case .cannotCreateDirectory(let path): "cannot create directory '\(path)'"
        }
    }
}
