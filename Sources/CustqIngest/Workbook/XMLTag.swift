/// The little of XML that reading a workbook needs, over bytes: tags with their
/// attributes, text between tags, and the five entities plus character references.
/// Element names are matched without their namespace prefix (`x:row` is `row`).
struct XMLTag {
    /// The name without a prefix, as bytes of the buffer.
    let name: Range<Int>
    /// Where the attributes are (after the name, before `>` or `/>`).
    let attributes: Range<Int>
    let isClosing: Bool
    let isEmpty: Bool
    /// The offset just after the tag's `>`.
    let end: Int
}
