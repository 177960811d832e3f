/// The extra header rows of survey exports, recognised by their contents:
/// - SurveyMonkey: a second row of answer labels (`Response`, `Open-Ended Response`, an
///   option's text), empty under the respondent columns.
/// - Qualtrics: a second row of question text and a third of `{"ImportId":"QID1"}` tags.
/// Their text becomes the columns' descriptions; they take no part in type inference.
struct SurveyHeaderRows: Equatable {
    enum Tool: Equatable { case surveyMonkey, qualtrics }

    let tool: Tool
    /// How many rows after the header are survey headers.
    let rows: Int
    /// One per column: the question text or answer label.
    let descriptions: [String]

    /// `following`: the texts of the (up to two) records after the header.
    static func recognise(_ following: [[String]], names: [String]) -> SurveyHeaderRows? {
        if following.count == 2 {
            let tags = following[1].filter { !$0.isEmpty }
            if !tags.isEmpty, tags.allSatisfy({ $0.hasPrefix("{\"ImportId\"") || $0.hasPrefix("{'ImportId'") }) {
                return SurveyHeaderRows(tool: .qualtrics, rows: 2, descriptions: following[0])
            }
        }
        if let second = following.first, second.count == names.count, second.first?.isEmpty == true,
           second.contains(where: { $0 == "Response" || $0 == "Open-Ended Response" }) {
            return SurveyHeaderRows(tool: .surveyMonkey, rows: 1, descriptions: second)
        }
        return nil
    }

    func note(headerLine: Int) -> String {
        switch tool {
        case .surveyMonkey:
            "line \(headerLine + 1) holds SurveyMonkey's answer labels: left out of the data, kept as column descriptions (.schema)"
        case .qualtrics:
            "lines \(headerLine + 1)–\(headerLine + 2) hold Qualtrics' question text and import ids: left out of the data, "
                + "the questions kept as column descriptions (.schema)"
        }
    }
}
