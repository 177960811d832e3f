internal import CEditLine
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CustqText

/// Set by the SIGINT handler; read by the prompt (and later by running queries).
let interruptRequested = Atomic<Bool>(false)

/// Line editing at a terminal through libedit: emacs keys, ~/.editrc, persistent history.
final class LineEditor {
    enum Input {
        case line(String)
        case interrupted
        case endOfInput
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    /// The prompt text handed to libedit; it keeps the pointer, so custq owns the memory.
    private var promptText: UnsafeMutablePointer<CChar>
    /// Tab completion; nil completes nothing.
    var completer: Completer?
    /// Tells the user something went wrong with the history (said once).
    var warn: ((String) -> Void)?
    private var historySaveFailed = false
    /// The text before the cursor at the last Tab that could not complete further: a second
    /// Tab there lists the choices.
    private var lastUnfinishedTab: String?

    init(prompt: String, historyPath: String?) {
        Self.useUTF8Locale()
        Self.installInterruptHandler()
        editLine = custq_el_init("custq")
        history = custq_history_init(1000)
        self.historyPath = historyPath
        promptText = strdup(prompt)
        custq_el_configure(editLine, history, { editLine in
            guard let editLine, let context = custq_el_clientdata(editLine) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue().promptText
        }, Unmanaged.passUnretained(self).toOpaque())
        _ = custq_el_add_function(editLine, "custq-complete", "complete the word before the cursor", { editLine, _ in
            guard let editLine, let context = custq_el_clientdata(editLine) else { return custq_cc_error }
            return Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue().complete()
        })
        _ = custq_el_bind(editLine, "^I", "custq-complete")
        _ = custq_el_source_editrc(editLine)
        if let historyPath { _ = custq_history_load(history, historyPath) }
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptText)
    }

    func setPrompt(_ prompt: String) {
        free(promptText)
        promptText = strdup(prompt)
    }

    func readLine() -> Input {
        interruptRequested.store(false, ordering: .relaxed)
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count) else {
            if count == -1 || interruptRequested.load(ordering: .relaxed) { return .interrupted }
            return .endOfInput
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Completes the word before the cursor: one match is inserted (with a space after it),
    /// several insert what they share and are listed under the line.
    private func complete() -> UInt8 {
        guard let completer, let raw = custq_el_text_before_cursor(editLine) else { return custq_cc_error }
        let before = String(cString: raw)
        free(raw)
        let (word, candidates) = completer.complete(before)
        guard !candidates.isEmpty else { return custq_cc_error }
        let common = Completer.commonPrefix(candidates)
        var insertion = common.count > word.count ? String(common.dropFirst(word.count)) : ""
        if candidates.count == 1, !common.hasSuffix("/"), !common.hasSuffix("(") { insertion += " " }
        if !insertion.isEmpty {
            // Several choices still: the next Tab lists them.
            lastUnfinishedTab = candidates.count > 1 ? before + insertion : nil
            _ = el_insertstr(editLine, insertion)
            return custq_cc_refresh
        }
        if candidates.count == 1 { return custq_cc_refresh }
        // Several choices and nothing more they agree on: a second Tab lists them (on an
        // empty line, the first does: there is nothing to complete yet).
        let blank = before.allSatisfy { $0 == " " }
        guard blank || lastUnfinishedTab == before else {
            lastUnfinishedTab = before
            return custq_cc_error
        }
        lastUnfinishedTab = nil
        // Several matches and nothing more to insert: list them in columns under the line.
        let width = max(1, candidates.map(DisplayWidth.of).max() ?? 1) + 2
        let perLine = max(1, (Shell.terminalWidth() ?? 80) / width)
        var listing = "\n"
        for (index, candidate) in candidates.enumerated() {
            listing += DisplayWidth.pad(candidate, to: width)
            if (index + 1) % perLine == 0 || index == candidates.count - 1 { listing += "\n" }
        }
        Console.writeAll(1, listing)
        return custq_cc_redisplay
    }

    /// Records a statement in the history and saves the history file (mode 0600).
    func remember(_ statement: String) {
        guard !statement.trimmingSpaces.isEmpty else { return }
        _ = custq_history_enter(history, statement)
        guard let historyPath else { return }
        errno = 0
        if custq_history_save(history, historyPath) < 0 {
            if !historySaveFailed {
                historySaveFailed = true
                warn?("history could not be saved to \(historyPath)" + (errno != 0 ? ": " + errorText(errno) : ""))
            }
            return
        }
        historySaveFailed = false
        chmod(historyPath, 0o600)
    }

    /// Runs `statement` with what the user types meanwhile kept, unechoed, for the next
    /// prompt. In the terminal's own line mode a Ctrl-D typed while a result prints would
    /// be the end of a read nobody makes, and lost; keys as they are typed (no line mode,
    /// no echo) reach libedit whole. Ctrl-C (signals) and Ctrl-S/Ctrl-Q (flow control) are
    /// untouched.
    func keepingTypeAhead<Result>(_ statement: () -> Result) -> Result {
        var saved = termios()
        guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return statement() }
        var keys = saved
        keys.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &keys.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSANOW, &keys)
        defer { tcsetattr(0, TCSANOW, &saved) }
        return statement()
    }

    /// libedit drops multibyte input unless the locale's character set is UTF-8.
    private static func useUTF8Locale() {
        setlocale(LC_CTYPE, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().replacingDashes != "UTF8" { setlocale(LC_CTYPE, "C.UTF-8") }
    }

    /// Ctrl-C must interrupt `el_gets` (no SA_RESTART) instead of killing the shell.
    private static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptRequested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}

private extension String {
    var replacingDashes: String { String(filter { $0 != "-" }) }
}
