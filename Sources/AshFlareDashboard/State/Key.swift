/// A key press, as the terminal decodes it.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, space, any Unicode).
    case character(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Paging and jumping.
    case pageUp, pageDown, home, end
    /// Enter / Return.
    case enter
    /// Escape.
    case escape
    /// Tab and Shift-Tab.
    case tab, backTab
    /// Backspace (or Delete on terminals that send it for Backspace).
    case backspace
    /// Control plus a letter, e.g. `.control("c")` (Ctrl-C normally arrives as SIGINT instead).
    case control(Character)
    /// A mouse click or wheel turn (when the terminal reports the mouse; `--no-mouse` stops it).
    case mouse(MouseEvent)

    /// Reads `"x"`-style characters, `"up"`, `"enter"`, `"esc"`, `"tab"`, `"pgdn"`… (for tests and scripts).
    public init?(name: String) {
        switch name.lowercased() {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "btab", "backtab": self = .backTab
        case "backspace", "bs": self = .backspace
        default:
            guard name.count == 1, let character = name.first else { return nil }
            self = .character(character)
        }
    }

    /// Keys for every character of `text` (typing).
    public static func typing(_ text: String) -> [Key] { text.map { .character($0) } }
}

/// A mouse event at a cell of the frame (0-based column and row).
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable {
        /// The left button was pressed (a click selects; on a fold glyph it folds).
        case click
        /// The wheel turned up (scrolls up).
        case wheelUp
        /// The wheel turned down (scrolls down).
        case wheelDown
    }

    /// What the mouse did.
    public var kind: Kind
    /// The cell's column, 0 at the left.
    public var column: Int
    /// The cell's row, 0 at the top.
    public var row: Int

    /// Creates a mouse event.
    public init(_ kind: Kind, column: Int, row: Int) {
        self.kind = kind
        self.column = column
        self.row = row
    }
}
