@preconcurrency import CEditLine
import Cloud
@preconcurrency import Foundation
@preconcurrency import Glibc

/// libedit's native `el_*` editor for the interactive shell: prompt, history file, Tab
/// completion, a usage hint after a complete command, Ctrl-C cancelling the line. One instance,
/// used only on the main thread inside `el_gets`; C callbacks reach it through EL_CLIENTDATA.
final class LineEditor {
    enum Input { case line(String), interrupted, endOfFile }

    let el: OpaquePointer
    let history: OpaquePointer
    /// nil when the history cannot be kept (a link at its path): the session goes on without.
    let historyFile: HistoryFile?
    var promptText: UnsafeMutablePointer<CChar>
    /// Called on Tab with the text before the cursor.
    var complete: (String) -> Completer.Result = { _ in Completer.Result(word: "", candidates: []) }
    /// Called after a space with the text before the cursor; a hint to print, or nil.
    var hint: (String) -> String? = { _ in nil }
    var lastCompletion: (line: String, listed: Bool)?

    init(historyFile: HistoryFile?, historySize: Int32 = 1000) {
        // Swift does not call setlocale; libedit would drop every non-ASCII byte in the C locale.
        let got = setlocale(LC_CTYPE, "").map { String(cString: $0) }
        if got == nil || got == "C" || got == "POSIX" { _ = setlocale(LC_CTYPE, "C.UTF-8") }
        installInterruptHandler()
        el = el_init("keydrill", stdin, stdout, stderr)
        history = history_init()
        self.historyFile = historyFile
        promptText = strdup("> ")
        var ev = HistEvent()
        _ = cel_hist_setsize(history, &ev, historySize)
        _ = cel_hist_setunique(history, &ev, 1)
        for entry in historyFile?.load() ?? [] { _ = cel_hist_enter(history, &ev, entry) }
        _ = cel_set_editor(el, "emacs")
        _ = cel_set_signal(el, 1)
        _ = cel_set_hist(el, history)
        _ = cel_set_prompt_esc(el, promptCallback, 1)
        _ = cel_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        _ = cel_add_fn(el, "keydrill-complete", "Complete the word", completeCallback)
        _ = cel_bind(el, "^I", "keydrill-complete")
        _ = cel_add_fn(el, "keydrill-space", "Insert a space, with a usage hint after a command", spaceCallback)
        _ = cel_bind(el, " ", "keydrill-space")
        _ = cel_set_getcfn(el, readCharCallback)
        // The user's ~/.editrc comes last so it wins.
        _ = el_source(el, nil)
    }

    func close() {
        history_end(history)
        el_end(el)
        free(promptText)
    }

    func setPrompt(_ text: String) {
        free(promptText)
        promptText = strdup(text)
    }

    func read() -> Input {
        var count: Int32 = 0
        guard let raw = el_gets(el, &count) else {
            return count == -1 ? .interrupted : .endOfFile
        }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    func addHistory(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        var ev = HistEvent()
        _ = cel_hist_enter(history, &ev, trimmed)
        historyFile?.append(trimmed)
    }

    var entries: [String] {
        var out = [String]()
        var ev = HistEvent()
        var rc = cel_hist_last(history, &ev)
        while rc == 0 {
            out.append(String(cString: ev.str))
            rc = cel_hist_prev(history, &ev)
        }
        return out
    }

    /// The text before the cursor.
    func lineBeforeCursor() -> String {
        guard let info = el_line(el) else { return "" }
        let start = UnsafeRawPointer(info.pointee.buffer!)
        let n = UnsafeRawPointer(info.pointee.cursor!) - start
        return String(decoding: UnsafeRawBufferPointer(start: start, count: n), as: UTF8.self)
    }

    /// Unique match: the rest of it plus a space. Several: their common prefix; on a second Tab
    /// with nothing to add, the list.
    func onTab() -> UInt8 {
        let line = lineBeforeCursor()
        let r = complete(line)
        guard !r.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if r.candidates.count == 1 {
            let rest = String(r.candidates[0].dropFirst(r.word.count)) + " "
            _ = el_insertstr(el, rest)
            return UInt8(CC_REFRESH)
        }
        let common = r.candidates.dropFirst().reduce(r.candidates[0]) { p, c in String(p.commonPrefix(with: c)) }
        if common.count > r.word.count {
            _ = el_insertstr(el, String(common.dropFirst(r.word.count)))
            return UInt8(CC_REFRESH)
        }
        if lastCompletion?.line == line, lastCompletion?.listed == false {
            lastCompletion = (line, true)
            fputs("\n" + Self.columns(r.candidates) + "\n", stdout)
            return UInt8(CC_REDISPLAY)
        }
        lastCompletion = (line, false)
        return UInt8(CC_REFRESH_BEEP)
    }

    /// A hint drawn dimmed after the cursor, as redis-cli does, cleared by the next key.
    private var hintShown = false
    /// Inside Ctrl-R's incremental search a space belongs to the search, so it is plain text.
    private var searching = false

    func onSpace() -> UInt8 {
        _ = el_insertstr(el, " ")
        let line = lineBeforeCursor()
        guard var h = hint(line) else { return UInt8(CC_REFRESH) }
        // The command is on the line already: the hint goes on after it.
        let typed = line.trimmingCharacters(in: .whitespaces)
        if h.hasPrefix(typed + " ") { h = String(h.dropFirst(typed.count + 1)) }
        let room = Terminal.columns - Self.visibleWidth(String(cString: promptText)) - line.count - 1
        guard room > 8 else { return UInt8(CC_REFRESH) }
        // Drawn when libedit next waits for a key, after it has drawn the space.
        pendingHint = h.count > room ? String(h.prefix(room - 1)) + "…" : h
        return UInt8(CC_REFRESH)
    }

    private var pendingHint: String?

    /// libedit's read of one character, with two jobs around it: clear a hint before the key
    /// that follows it is handled, and let a space into a Ctrl-R search (libedit ends a search
    /// at any key not bound to plain insertion, and space is bound to the hint).
    func readChar(_ out: UnsafeMutablePointer<wchar_t>) -> Int32 {
        if let h = pendingHint {
            // Save the cursor, write dimmed, restore: the line and libedit's idea of it are unchanged.
            fputs("\u{1b}7\u{1b}[2m\(h)\u{1b}[0m\u{1b}8", stdout)
            fflush(stdout)
            pendingHint = nil
            hintShown = true
        }
        var bytes = [UInt8]()
        var need = 1
        while bytes.count < need {
            var b: UInt8 = 0
            let n = Glibc.read(0, &b, 1)
            if n < 0 { return -1 }
            if n == 0 { return 0 }
            // A UTF-8 sequence's first byte says how long it is.
            if bytes.isEmpty { need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1 }
            bytes.append(b)
        }
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first?.value ?? UInt32(bytes[0])
        if hintShown {
            fputs("\u{1b}[K", stdout)
            fflush(stdout)
            hintShown = false
        }
        if scalar == 0x12 {
            if !searching { _ = cel_bind(el, " ", "ed-insert") }
            searching = true
        } else if searching, scalar < 0x20 || scalar == 0x7F, scalar != 0x08 {
            _ = cel_bind(el, " ", "keydrill-space")
            searching = false
        }
        out.pointee = wchar_t(bitPattern: scalar)
        return 1
    }

    /// The prompt's width on screen: escape sequences bracketed by \1 take no columns.
    static func visibleWidth(_ prompt: String) -> Int {
        var width = 0, hidden = false
        for ch in prompt {
            if ch == "\u{1}" { hidden.toggle(); continue }
            if !hidden { width += 1 }
        }
        return width
    }

    static func columns(_ items: [String]) -> String {
        let width = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, 80 / max(width, 1))
        return stride(from: 0, to: items.count, by: perRow).map { i in
            items[i..<min(i + perRow, items.count)].map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined()
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// Ctrl-C must interrupt `el_gets` (EINTR) without ending the process: a no-op handler
/// installed without SA_RESTART.
private func installInterruptHandler() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = interruptHandler
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
}

/// Outside libedit (which handles Ctrl-C itself while reading a line) a SIGINT asks the command
/// in flight to stop; it also interrupts a blocking read, such as a y/N answer.
private let interruptHandler: @convention(c) (Int32) -> Void = { _ in Interruption.request() }

private let promptCallback: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = { el in
    guard let el, let raw = cel_get_clientdata(el) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue().promptText
}

private let completeCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { el, _ in
    guard let el, let raw = cel_get_clientdata(el) else { return UInt8(CC_ERROR) }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue().onTab()
}

private let readCharCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<wchar_t>?) -> Int32 = { el, out in
    guard let el, let out, let raw = cel_get_clientdata(el) else { return -1 }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue().readChar(out)
}

private let spaceCallback: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { el, _ in
    guard let el, let raw = cel_get_clientdata(el) else { return UInt8(CC_ERROR) }
    return Unmanaged<LineEditor>.fromOpaque(raw).takeUnretainedValue().onSpace()
}
