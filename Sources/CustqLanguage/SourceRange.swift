/// A span of a statement's text, as UTF-8 byte offsets. Turned into line, column and
/// display width only when a message is printed (`SourceLocator`).
public struct SourceRange: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public var length: Int { end - start }
}
