import CustqDiagnostics
import CustqLanguage

/// One statement of typed or scripted text, with what is needed to say where a problem in
/// it is: the file, its line in the file, and the text of the lines around it.
struct PieceContext {
    let piece: StatementSplitter.Piece
    /// The file in messages (`report.cq`, `<stdin>`, `-c #2`), nil at the prompt.
    let file: String?
    /// Whether messages give the line (scripts) or only the column (one typed statement).
    let showLines: Bool
    /// The lines of the text the statement was cut from.
    let lines: [String]
    /// How many lines of the file come before that text (a script is read a part at a time).
    let lineOffset: Int

    /// Puts a statement's diagnostic where the statement is in its file: the file name, the
    /// line, and the column on the whole line (a statement may start mid-line after `;`).
    func place(_ diagnostic: Diagnostic) -> Diagnostic {
        var diagnostic = diagnostic
        guard var location = diagnostic.location else { return diagnostic }
        location.file = file
        let lineInPiece = (location.line ?? 1) - 1
        location.line = showLines ? lineOffset + piece.line + lineInPiece
            : (piece.text.contains("\n") ? lineInPiece + 1 : nil)
        if lineInPiece == 0, let column = location.column, piece.column > 1 {
            location.column = column + piece.column - 1
            if piece.line - 1 < lines.count { location.sourceLine = lines[piece.line - 1] }
        }
        diagnostic.location = location
        return diagnostic
    }
}
