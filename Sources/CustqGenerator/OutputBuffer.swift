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
    /// The error number of the first write that failed (a full disk), 0 while none has.
    private var failure: Int32 = 0

    init(path: String) throws(GeneratorError) {
        guard let file = fopen(path, "wb") else { throw .cannotWrite(path, reason: String(cString: strerror(errno))) }
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
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count, failure == 0 { failure = errno == 0 ? EIO : errno }
        bytes.removeAll(keepingCapacity: true)
    }

    func close() throws(GeneratorError) {
        flush()
        if fflush(file) != 0, failure == 0 { failure = errno }
        if fclose(file) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw .cannotWrite(path, reason: String(cString: strerror(failure))) }
    }
}
