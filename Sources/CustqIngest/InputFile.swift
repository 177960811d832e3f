import CFileGuard
import CustqDiagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file in memory, read-only: a regular file mapped, anything else (a pipe,
/// `/dev/stdin`, `<(cmd)`, a FIFO, a /proc file) read to its end.
///
/// Mapping costs ~0.03 s for 145 MB here against ~0.13 s for reading it; pages the
/// reader has finished with are handed back (`release(before:)`) so a large load does
/// not hold the whole file and the whole table at once. A mapped file that shrinks while
/// it is read cannot bring the process down (see CFileGuard): the load reports it.
final class InputFile {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int
    private var ownedCopy: UnsafeMutableBufferPointer<UInt8>?
    /// The open file behind a mapping, to see whether it changed, and its guard.
    private let descriptor: Int32
    private let guardSlot: Int32

    convenience init(path: String) throws(Diagnostic) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LoadErrors.cannotOpen(path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw LoadErrors.isDirectory(path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadErrors.cannotOpen(path, reason: String(cString: strerror(errno))) }
        var opened = stat()
        let size = fstat(fd, &opened) == 0 ? Int(opened.st_size) : 0
        guard opened.st_mode & S_IFMT == S_IFREG, size > 0 else {
            // A stream (or a file the system gives no size for): read it to its end.
            defer { close(fd) }
            self.init(path: path, owning: try Self.readStream(fd, path: path))
            return
        }
        guard let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            close(fd)
            throw LoadErrors.cannotOpen(path, reason: String(cString: strerror(errno)))
        }
        madvise(pointer, size, MADV_SEQUENTIAL)
        self.init(path: path, mapping: pointer, length: size, descriptor: fd)
    }

    /// A file mapped at `mapping`, open as `descriptor` (closed with the file).
    private init(path: String, mapping: UnsafeMutableRawPointer, length: Int, descriptor: Int32) {
        self.path = path
        self.mapping = mapping
        mappedLength = length
        self.descriptor = descriptor
        guardSlot = custq_guard_mapping(mapping, length)
        bytes = UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Bytes already in memory (tests, standard input), named `path` in messages.
    convenience init(path: String, contents: [UInt8]) throws(Diagnostic) {
        guard !contents.isEmpty else { throw LoadErrors.emptyFile(path) }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: contents.count)
        _ = copy.initialize(from: contents)
        self.init(path: path, owning: copy)
    }

    /// Text decoded from another file's bytes into UTF-8 (`TextDecoding`): owned, freed with it.
    convenience init(path: String, decoded: UnsafeMutableBufferPointer<UInt8>) {
        self.init(path: path, owning: decoded)
    }

    /// Bytes in memory this file owns (and frees).
    private init(path: String, owning copy: UnsafeMutableBufferPointer<UInt8>) {
        self.path = path
        ownedCopy = copy
        mapping = nil
        mappedLength = 0
        descriptor = -1
        guardSlot = -1
        bytes = UnsafeBufferPointer(copy)
    }

    /// The file's text for messages: line, column and the offending line.
    var source: SourceText { SourceText(path: path, bytes: bytes) }

    deinit {
        if let mapping {
            custq_guard_release(guardSlot)
            munmap(mapping, mappedLength)
        }
        if descriptor >= 0 { close(descriptor) }
        ownedCopy?.deallocate()
    }

    /// Whether the file changed while it was read: a page past its new end could not be
    /// read (it shrank), or its size is not what it was.
    var changed: Bool {
        guard mapping != nil else { return false }
        if custq_guard_faulted(guardSlot) != 0 { return true }
        var info = stat()
        return fstat(descriptor, &info) != 0 || Int(info.st_size) != mappedLength
    }

    /// Tells the kernel the pages before `offset` are no longer needed (they are reread
    /// from the page cache if touched again, so this is always safe).
    func release(before offset: Int) {
        release(from: 0, before: offset)
    }

    /// The same for the pages between `start` and `offset` (a reader of the second half of
    /// a file hands back only what it read).
    func release(from start: Int, before offset: Int) {
        guard let mapping else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start + page - 1) / page * page, end = offset / page * page
        if end > first { madvise(mapping + first, end - first, MADV_DONTNEED) }
    }

    /// The most a stream may hold: half the machine's memory (`/dev/zero` or `yes` as a
    /// data file must end in a message, not in the out-of-memory killer).
    static var streamLimit: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? Int(pages) * Int(size) / 2 : 8 << 30
    }

    /// Reads a stream to its end. Text never holds a NUL byte, so one ends the read at once
    /// (what it means is said by the reader's check for binary and UTF-16 files).
    private static func readStream(_ fd: Int32, path: String) throws(Diagnostic) -> UnsafeMutableBufferPointer<UInt8> {
        var buffer = GrowableBuffer<UInt8>(capacity: 1 << 20)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let limit = streamLimit
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                buffer.deallocate()
                throw LoadErrors.cannotOpen(path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            chunk.withUnsafeBufferPointer { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<count])) }
            // UTF-16 text is full of NUL bytes: its byte-order mark says to read on.
            let unicode = buffer.count >= 2 && (buffer[0] == 0xFF && buffer[1] == 0xFE || buffer[0] == 0xFE && buffer[1] == 0xFF)
            if !unicode, chunk.prefix(count).contains(0) { break }
            if buffer.count > limit {
                buffer.deallocate()
                throw LoadErrors.streamTooLarge(path, limit: limit)
            }
        }
        guard buffer.count > 0 else {
            buffer.deallocate()
            throw LoadErrors.emptyFile(path)
        }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count)
        _ = copy.initialize(from: buffer.buffer)
        buffer.deallocate()
        return copy
    }
}
