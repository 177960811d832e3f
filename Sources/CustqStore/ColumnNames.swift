/// What a column's name says about its values, where the values alone cannot tell.
public enum ColumnNames {
    /// Last words that name identifiers and codes.
    static let codeWords: Set<String> = ["id", "no", "nr", "number", "num", "code", "phone", "mobile", "tel", "telephone",
                                         "zip", "zipcode", "postcode", "postal", "sku", "ean", "upc", "isbn", "key"]
    /// Things an export numbers, for names written in one lowercase word (`customerid`).
    static let numberedThings = ["customer", "user", "order", "client", "account", "member", "contact", "product", "item",
                                 "invoice", "transaction", "session", "visitor", "lead", "ticket", "response", "respondent",
                                 "survey", "store", "shop", "seller", "buyer", "employee", "case", "opportunity"]
    static let codeEndings = ["编号", "号码", "编码", "电话", "手机", "邮编", "单号", "代码", "ＩＤ"]

    /// Whether the name is that of an identifier or a code: a customer or order number,
    /// a phone number, a postcode (`CustomerID`, `InvoiceNo`, `order_number`, `zip`,
    /// `客户编号`, `手机`). Such numbers are names: shown without thousands separators,
    /// and whole when a file writes them as `17850.0`.
    public static func isCode(_ name: String) -> Bool {
        if codeEndings.contains(where: { name.hasSuffix($0) }) { return true }
        // `客户ID`: Latin letters after Chinese ones are a word of their own.
        if name.count > 2, name.uppercased().hasSuffix("ID"), let before = name.dropLast(2).last, !before.isASCII { return true }
        let words = Self.words(of: name)
        guard let last = words.last else { return false }
        if codeWords.contains(last) { return true }
        // `customerid`, `ordernumber`: a numbered thing and the word, run together.
        return numberedThings.contains { thing in
            ["id", "no", "number", "code"].contains { last == thing + $0 }
        }
    }

    /// Whether the name is that of a code that mixes digits and letters by nature
    /// (`StockCode` 85123A and 71053, a SKU): such a column is text without a warning.
    public static func isProductCode(_ name: String) -> Bool {
        guard let last = words(of: name).last else { return false }
        return ["code", "sku", "ean", "upc", "isbn", "编码", "代码"].contains(last) || name.hasSuffix("编码") || name.hasSuffix("代码")
    }

    /// The words of a name, lowercased: split at spaces, underscores and other marks, and
    /// where case changes (`CustomerID` → customer, id; `IDNumber` → id, number).
    static func words(of name: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current.lowercased()); current = "" }
                continue
            }
            if !current.isEmpty, let previous = current.last {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let lowerToUpper = previous.isLowercase && character.isUppercase
                let endOfCapitals = previous.isUppercase && character.isUppercase && (next?.isLowercase ?? false)
                if lowerToUpper || endOfCapitals {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}
