import AshFlareDashboard
import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses screen. Every method must be called on the terminal thread (see ``TerminalLoop``).
struct Curses {
    private let window: UnsafeMutablePointer<WINDOW>
    private let color: Bool
    private let theme: [Role: TextStyle]
    private var attributes: [StyleKey: Int32] = [:]

    /// Takes over the terminal: alternate screen, no echo, single keys without Enter, keypad
    /// decoding, hidden cursor, non-blocking reads.
    init?(color wantColor: Bool, mouse: Bool, theme: [Role: TextStyle]) {
        self.theme = theme
        setlocale(LC_ALL, "")
        guard let window = cnc_start() else { return nil }
        self.window = window
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        curs_set(0)
        if mouse {
            // Press events at once (no click-detection delay): button 1 press, wheel up (4), wheel down (5).
            mouseinterval(0)
            _ = mousemask(MouseCodes.button1Pressed | MouseCodes.wheelUp | MouseCodes.wheelDown, nil)
        }
        if wantColor && has_colors() {
            start_color()
            use_default_colors()
            for color in TerminalColor.allCases { init_pair(Int16(color.rawValue + 1), Int16(color.rawValue), -1) }
            self.color = true
        } else {
            self.color = false
        }
    }

    /// Gives the terminal back (leaves the alternate screen, restores modes).
    func end() {
        curs_set(1)
        endwin()
    }

    /// The screen size in cells.
    var size: (width: Int, height: Int) {
        (Int(cnc_getmaxx(window)), Int(cnc_getmaxy(window)))
    }

    /// Draws a frame and shows it.
    mutating func draw(_ lines: [StyledLine]) {
        werase(window)
        for (row, line) in lines.enumerated() {
            var column = 0
            for span in line.spans {
                cnc_attrset(window, attribute(role: span.role, selected: span.selected))
                _ = cnc_mvaddstr(window, Int32(row), Int32(column), span.text)
                column += TextWidth.cells(span.text)
            }
        }
        cnc_attrset(window, cnc_a_normal())
        wrefresh(window)
    }

    /// Forces a full repaint on the next draw (after a resize).
    func invalidate() {
        clearok(window, true)
    }

    /// Reads one key without waiting; `nil` when none is pending.
    func readKey() -> TerminalKey? {
        var code: UInt32 = 0
        let result = cnc_get_wch(window, &code)
        if result == ERR { return nil }
        if result == cnc_key_code_yes() {
            if Int32(code) == KEY_MOUSE { return readMouse() }
            return KeyDecoder.function(Int32(code))
        }
        return KeyDecoder.character(code)
    }

    private func readMouse() -> TerminalKey? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind? = MouseCodes.kind(of: event.bstate)
        return kind.map { .key(.mouse(MouseEvent($0, column: Int(event.x), row: Int(event.y)))) }
    }

    private struct StyleKey: Hashable {
        let role: Role
        let selected: Bool
    }

    private mutating func attribute(role: Role, selected: Bool) -> Int32 {
        let key = StyleKey(role: role, selected: selected)
        if let cached = attributes[key] { return cached }
        let style = Theme.style(for: role, selected: selected, color: color, overrides: theme)
        var value = cnc_a_normal()
        if let foreground = style.foreground, color { value |= cnc_color_pair(Int32(foreground.rawValue + 1)) }
        if style.bold { value |= cnc_a_bold() }
        if style.dim { value |= cnc_a_dim() }
        if style.reverse { value |= cnc_a_reverse() }
        if style.underline { value |= cnc_a_underline() }
        attributes[key] = value
        return value
    }
}

/// What the terminal reads: a key, or a resize.
enum TerminalKey: Hashable {
    case key(Key)
    case resize
}

/// Maps ncurses key codes and characters to ``Key``.
enum KeyDecoder {
    static func function(_ code: Int32) -> TerminalKey? {
        switch code {
        case cnc_key_resize(): .resize
        case cnc_key_up(): .key(.up)
        case cnc_key_down(): .key(.down)
        case cnc_key_left(): .key(.left)
        case cnc_key_right(): .key(.right)
        case cnc_key_ppage(): .key(.pageUp)
        case cnc_key_npage(): .key(.pageDown)
        case cnc_key_home(): .key(.home)
        case cnc_key_end(): .key(.end)
        case cnc_key_enter(): .key(.enter)
        case cnc_key_backspace(), cnc_key_dc(): .key(.backspace)
        case cnc_key_btab(): .key(.backTab)
        default: nil
        }
    }

    static func character(_ code: UInt32) -> TerminalKey? {
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.control(Character(Unicode.Scalar(code + 96)!)))
        default:
            guard let scalar = Unicode.Scalar(code), code >= 32 else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}

/// ncurses' mouse masks (`NCURSES_MOUSE_MASK(button, event)` = `event << ((button - 1) * 5)` in
/// mouse version 2), which Swift cannot import as macros.
enum MouseCodes {
    static let button1Pressed = mmask_t(0o2)
    static let wheelUp = mmask_t(0o2) << 15
    static let wheelDown = mmask_t(0o2) << 20

    /// The event a mask reports, or nil for one the dashboard ignores.
    static func kind(of mask: mmask_t) -> MouseEvent.Kind? {
        if mask & button1Pressed != 0 { return .click }
        if mask & wheelUp != 0 { return .wheelUp }
        if mask & wheelDown != 0 { return .wheelDown }
        return nil
    }
}
