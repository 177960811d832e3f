import CustqStore

/// Builds one column while a file is read, inferring its type from every value.
///
/// The type starts unknown (only nulls seen) and widens as values arrive:
/// integer -> decimal, date -> timestamp. Any other mix makes the column a string
/// column; values already stored as numbers or dates have lost their original text,
/// so the reader reads that column's text again in a second pass (`needsTextReread`).
/// A declared type (`--type col=TYPE`) turns inference off: values must parse as it.
final class ColumnBuilder {
    let name: String
    let declaredType: ColumnType?
    /// A stated date format (`--type 'd=date:%d/%m/%Y'`): every value must follow it. The
    /// text is kept, and turned into dates once the load is done (`ColumnReadings`).
    let format: DateFormat?
    private(set) var type: ColumnType?
    /// The declared type as messages name it: `date (%d/%m/%Y)` with a stated format.
    var declaredDescription: String {
        guard let declaredType else { return "value" }
        return format.map { "\(declaredType.displayName) (\($0))" } ?? declaredType.displayName
    }
    private(set) var rows = 0
    /// Set when the column fell back to text after typed values: read its text again.
    private(set) var needsTextReread = false
    /// What the column looked like before it fell back to text, and where it did.
    private(set) var widenedFrom: ColumnType?
    var firstTextRow: Int?
    /// In a column of text, the kind of the first value that was not text (`1,Response /
    /// 2,5`: the 5): the column mixes kinds even though text came first.
    private(set) var typedAmongText: ColumnType?
    /// Whether a whole number too large for 64 bits made the column text.
    private(set) var sawBigInteger = false

    private var validity: GrowableBuffer<UInt64>
    private var integers: GrowableBuffer<Int64>
    private var decimals: GrowableBuffer<Double>
    private var booleans: GrowableBuffer<Bool>
    private var days: GrowableBuffer<Int32>
    private var micros: GrowableBuffer<Int64>
    private var strings: StringColumnBuilder? {
        didSet { stringsRef = strings.map { Unmanaged.passUnretained($0) } }
    }
    /// `strings`, reached without retaining it per value (a retain and release per text
    /// field were 15% of loading 5M rows with text keys).
    private var stringsRef: Unmanaged<StringColumnBuilder>?

    @inline(__always)
    private func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        stringsRef.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.append(bytes) }
    }
    private let expectedRows: Int

    init(name: String, declaredType: ColumnType?, format: DateFormat? = nil, expectedRows: Int) {
        self.name = name
        self.declaredType = declaredType
        self.format = format
        self.expectedRows = expectedRows
        validity = GrowableBuffer(capacity: expectedRows / 64 + 1)
        integers = GrowableBuffer(capacity: 0)
        decimals = GrowableBuffer(capacity: 0)
        booleans = GrowableBuffer(capacity: 0)
        days = GrowableBuffer(capacity: 0)
        micros = GrowableBuffer(capacity: 0)
        if let declaredType { become(format == nil ? declaredType : .string, backfill: 0) }
    }

    deinit {
        validity.deallocate()
        integers.deallocate()
        decimals.deallocate()
        booleans.deallocate()
        days.deallocate()
        micros.deallocate()
    }

    // MARK: Appending

    @inline(__always)
    private func markValid(_ valid: Bool) {
        let bit = rows & 63
        if bit == 0 { validity.append(0) }
        if valid { validity[validity.count - 1] |= 1 << UInt64(bit) }
        rows += 1
    }

    func appendNull() {
        if needsTextReread { rows += 1; return }
        switch type {
        case .integer?: integers.append(0)
        case .decimal?: decimals.append(0)
        case .boolean?: booleans.append(false)
        case .date?: days.append(0)
        case .timestamp?: micros.append(0)
        case .string?: strings!.appendEmpty()
        case nil: break
        }
        markValid(false)
    }

    /// What appending a field did.
    enum Appended {
        case stored
        /// The field does not fit the declared type.
        case rejected
        /// The field is the column's first text: where a warning about mixed kinds points.
        case turnedToText
    }

    /// Appends a CSV field (already unquoted) and says what happened.
    @inline(__always)
    func appendCSVField(_ field: FieldBytes, quoted: Bool) -> Appended {
        if needsTextReread {
            rows += 1
            return .stored
        }
        let hadText = firstTextRow != nil
        if appendCSVFieldToType(field, quoted: quoted) { return !hadText && firstTextRow != nil ? .turnedToText : .stored }
        return .rejected
    }

    /// The warning this column's values call for once read: text among typed values (or
    /// typed among text), or whole numbers too large for 64 bits; nil when none.
    var mixedKinds: (was: ColumnType, bigInteger: Bool)? {
        if sawBigInteger { return (widenedFrom ?? .integer, true) }
        if let widenedFrom { return (widenedFrom, false) }
        if type == .string, let typedAmongText { return (typedAmongText, false) }
        return nil
    }

    /// Appends a CSV field. Returns false when it does not fit the declared type.
    @inline(__always)
    private func appendCSVFieldToType(_ field: FieldBytes, quoted: Bool) -> Bool {
        if field.count == 0 {
            appendNull()
            return true
        }
        // Fast paths: the value usually has the column's current type.
        switch type {
        case .string?:
            if declaredType == nil {
                if typedAmongText == nil { noteKind(ValueParser.classify(field, quoted: quoted)) }
            } else if let format, !format.accepts(field.buffer) {
                return false
            }
            appendText(field.buffer)
            markValid(true)
            return true
        case .integer?:
            if let value = ValueParser.integer(field) {
                integers.append(value)
                markValid(true)
                return true
            }
        case .decimal?:
            if let value = ValueParser.decimal(field) {
                decimals.append(value)
                markValid(true)
                return true
            }
        case .date?:
            if let value = ValueParser.date(field), field.count == 10 {
                days.append(value)
                markValid(true)
                return true
            }
        default:
            break
        }
        return append(ValueParser.classify(field, quoted: quoted), text: field)
    }

    /// Notes a value of a column that is text: a number or a date there means the column
    /// mixes kinds (yes/no words are not counted: text is full of them); a huge whole
    /// number means it is text to stay exact.
    @inline(__always)
    private func noteKind(_ value: FieldValue) {
        switch value {
        case .integer, .decimal, .date, .timestamp: typedAmongText = value.inferredType
        case .bigInteger: sawBigInteger = true
        default: break
        }
    }

    /// Whether `field` fits the declared type (a lenient load checks a row before taking any
    /// of it, so a row it skips leaves no trace in any column).
    func accepts(_ field: FieldBytes, quoted: Bool) -> Bool {
        guard let declaredType, field.count > 0 else { return true }
        if let format { return format.accepts(field.buffer) }
        return Self.fits(ValueParser.classify(field, quoted: quoted), declared: declaredType)
    }

    /// Whether a value can be stored in a column declared `declared`.
    static func fits(_ value: FieldValue, declared: ColumnType) -> Bool {
        switch (declared, value) {
        case (.string, _), (_, .null), (.integer, .integer), (.decimal, .decimal), (.decimal, .integer),
             (.boolean, .boolean), (.date, .date), (.timestamp, .timestamp), (.timestamp, .date):
            return true
        case (.boolean, .integer(let number)):
            return number == 0 || number == 1
        default:
            return false
        }
    }

    /// Appends a classified value; `text` is its source text, kept if the column is text.
    @inline(__always)
    func append(_ value: FieldValue, text: FieldBytes) -> Bool {
        if let format, !needsTextReread {
            if case .null = value { appendNull(); return true }
            return format.accepts(text.buffer) && store(.text, text: text)
        }
        // Fast path: the value has the column's type (nearly always, after the first rows).
        if !needsTextReread {
            switch (type, value) {
            case (.integer?, .integer(let v)): integers.append(v)
            case (.decimal?, .decimal(let v)): decimals.append(v)
            case (.decimal?, .integer(let v)): decimals.append(Double(v))
            case (.string?, .text): appendText(text.buffer)
            case (.date?, .date(let v)): days.append(v)
            case (.boolean?, .boolean(let v)): booleans.append(v)
            default: return appendSlowly(value, text: text)
            }
            markValid(true)
            return true
        }
        return appendSlowly(value, text: text)
    }

    private func appendSlowly(_ value: FieldValue, text: FieldBytes) -> Bool {
        if needsTextReread {
            rows += 1
            return true
        }
        if let declaredType { return appendDeclared(value, text: text, as: declaredType) }
        guard let valueType = value.inferredType else {
            appendNull()
            return true
        }
        if case .bigInteger = value { sawBigInteger = true }
        guard let current = type else {
            become(valueType, backfill: rows)
            if valueType == .string { firstTextRow = rows }
            return store(value, text: text)
        }
        if current == .string, declaredType == nil, typedAmongText == nil { noteKind(value) }
        if current == valueType || current == .string { return store(value, text: text) }
        switch (current, valueType) {
        case (.integer, .decimal):
            widenIntegersToDecimals()
        case (.decimal, .integer), (.timestamp, .date):
            break
        case (.date, .timestamp):
            widenDatesToTimestamps()
        default:
            fallBackToText()
            return true
        }
        return store(value, text: text)
    }

    private func appendDeclared(_ value: FieldValue, text: FieldBytes, as declared: ColumnType) -> Bool {
        switch (declared, value) {
        case (_, .null): appendNull(); return true
        case (.string, _): return store(.text, text: text)
        case (.integer, .integer), (.decimal, .decimal), (.boolean, .boolean), (.date, .date),
             (.timestamp, .timestamp), (.decimal, .integer), (.timestamp, .date):
            return store(value, text: text)
        case (.boolean, .integer(let number)) where number == 0 || number == 1:
            return store(.boolean(number == 1), text: text)
        default:
            return false
        }
    }

    @inline(__always)
    private func store(_ value: FieldValue, text: FieldBytes) -> Bool {
        switch (type, value) {
        case (.string?, _): appendText(text.buffer)
        case (.integer?, .integer(let v)): integers.append(v)
        case (.decimal?, .decimal(let v)): decimals.append(v)
        case (.decimal?, .integer(let v)): decimals.append(Double(v))
        case (.boolean?, .boolean(let v)): booleans.append(v)
        case (.date?, .date(let v)): days.append(v)
        case (.timestamp?, .timestamp(let v)): micros.append(v)
        case (.timestamp?, .date(let v)): micros.append(Int64(v) * CivilDate.microsecondsPerDay)
        default: return false
        }
        markValid(true)
        return true
    }

    /// Starts storing as `newType`, with `backfill` null rows before the first value.
    private func become(_ newType: ColumnType, backfill: Int) {
        type = newType
        let capacity = max(expectedRows, backfill + 16)
        switch newType {
        case .integer: integers = GrowableBuffer(capacity: capacity); integers.append(repeating: 0, count: backfill)
        case .decimal: decimals = GrowableBuffer(capacity: capacity); decimals.append(repeating: 0, count: backfill)
        case .boolean: booleans = GrowableBuffer(capacity: capacity); booleans.append(repeating: false, count: backfill)
        case .date: days = GrowableBuffer(capacity: capacity); days.append(repeating: 0, count: backfill)
        case .timestamp: micros = GrowableBuffer(capacity: capacity); micros.append(repeating: 0, count: backfill)
        case .string:
            let builder = StringColumnBuilder(expectedRows: capacity)
            for _ in 0..<backfill { builder.appendEmpty() }
            strings = builder
        }
    }

    private func widenIntegersToDecimals() {
        become(.decimal, backfill: 0)
        for i in 0..<integers.count { decimals.append(Double(integers[i])) }
        integers.release()
    }

    private func widenDatesToTimestamps() {
        become(.timestamp, backfill: 0)
        for i in 0..<days.count { micros.append(Int64(days[i]) * CivilDate.microsecondsPerDay) }
        days.release()
    }

    private func fallBackToText() {
        widenedFrom = type
        firstTextRow = rows
        needsTextReread = true
        rows += 1
        integers.release()
        decimals.release()
        booleans.release()
        days.release()
        micros.release()
        validity.release()
    }

    /// Starts the second pass for a column that fell back to text: every value is text now.
    func beginTextReread() {
        precondition(needsTextReread, "only a column that fell back to text is read again")
        needsTextReread = false
        rows = 0
        validity.removeAll()
        become(.string, backfill: 0)
    }

    /// Drops the last row (a lenient load skipping a row found bad half-way).
    func removeLastRow() {
        guard rows > 0 else { return }
        rows -= 1
        if needsTextReread { return }
        switch type {
        case .integer?: integers.removeLast()
        case .decimal?: decimals.removeLast()
        case .boolean?: booleans.removeLast()
        case .date?: days.removeLast()
        case .timestamp?: micros.removeLast()
        case .string?: strings!.removeLast()
        case nil: break
        }
        if rows & 63 == 0 {
            validity.removeLast()
        } else {
            validity[validity.count - 1] &= (1 << UInt64(rows & 63)) - 1
        }
    }

    // MARK: Joining two halves

    /// Whether `other` (built from the rest of the same file) can be appended as it is: the
    /// same kind of values (or only nulls on either side), and neither fell back to text.
    func canAbsorb(_ other: ColumnBuilder) -> Bool {
        guard name == other.name, declaredType == nil, other.declaredType == nil, !needsTextReread, !other.needsTextReread,
              widenedFrom == nil, other.widenedFrom == nil else { return false }
        return type == nil || other.type == nil || type == other.type
    }

    /// Appends the rows of `other` (see canAbsorb).
    func absorb(_ other: ColumnBuilder) {
        typedAmongText = typedAmongText ?? other.typedAmongText
        sawBigInteger = sawBigInteger || other.sawBigInteger
        if type == nil, let otherType = other.type {
            become(otherType, backfill: rows)
            if otherType == .string, firstTextRow == nil { firstTextRow = other.firstTextRow.map { $0 + rows } }
        }
        guard other.type != nil else {
            for _ in 0..<other.rows { appendNull() }
            return
        }
        switch type! {
        case .integer: integers.append(contentsOf: other.integers.buffer)
        case .decimal: decimals.append(contentsOf: other.decimals.buffer)
        case .boolean: booleans.append(contentsOf: other.booleans.buffer)
        case .date: days.append(contentsOf: other.days.buffer)
        case .timestamp: micros.append(contentsOf: other.micros.buffer)
        case .string: strings!.absorb(other.strings!)
        }
        // Validity bits, shifted to follow this column's last row.
        let shift = rows & 63
        for index in 0..<other.validity.count {
            let word = other.validity[index]
            let bitsInWord = min(64, other.rows - index * 64)
            if shift == 0 {
                validity.append(word)
            } else {
                validity[validity.count - 1] |= word << UInt64(shift)
                if bitsInWord > 64 - shift { validity.append(word >> UInt64(64 - shift)) }
            }
            rows += bitsInWord
        }
    }

    // MARK: Finishing

    /// The finished column. A column with no values at all is a string column of nulls.
    func build() -> Column {
        if type == nil { become(.string, backfill: rows) }
        let bitmap = ValidityBitmap(words: Array(validity.finish()), count: rows)
        let values: Column.Values
        switch type! {
        case .integer: values = .integer(integers.finish())
        case .decimal: values = .decimal(decimals.finish())
        case .boolean: values = .boolean(booleans.finish())
        case .date: values = .date(days.finish())
        case .timestamp: values = .timestamp(micros.finish())
        case .string: values = .string(strings!.build())
        }
        strings = nil
        return Column(name: name, values: values, validity: bitmap)
    }
}
