/// A value a conversion could not read, and its row (from 0).
public struct UnreadValue: Sendable, Equatable {
    public let text: String
    public let row: Int

    public init(text: String, row: Int) {
        self.text = text
        self.row = row
    }
}
