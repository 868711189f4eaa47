/// The eight basic terminal colours.
public enum TerminalColor: Int, Hashable, Sendable, CaseIterable {
    /// Colour numbers as in curses (`COLOR_BLACK` = 0 … `COLOR_WHITE` = 7).
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// How one role looks: an optional foreground colour plus attributes.
public struct TextStyle: Hashable, Sendable {
    /// The foreground colour; `nil` keeps the terminal's default.
    public var foreground: TerminalColor?
    /// Attributes.
    public var bold, dim, reverse, underline: Bool

    /// Creates a style.
    public init(foreground: TerminalColor? = nil, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

/// Maps roles to styles, with colour or (for `NO_COLOR` and monochrome terminals) attributes only.
///
/// State never relies on colour alone: every state also has a glyph and a word in the frame.
public enum Theme {
    /// The style of `role`; `selected` adds reverse video; `overrides` (the config file's
    /// `[theme]`) replace built-in styles, losing their colour without `color`.
    public static func style(for role: Role, selected: Bool = false, color: Bool, overrides: [Role: TextStyle] = [:]) -> TextStyle {
        var style = color ? colored(role) : monochrome(role)
        if var custom = overrides[role] {
            if !color { custom.foreground = nil }
            style = custom
        }
        if selected { style.reverse.toggle() }
        return style
    }

    private static func colored(_ role: Role) -> TextStyle {
        switch role {
        case .normal: TextStyle()
        case .header: TextStyle(foreground: .cyan, bold: true)
        case .dim: TextStyle(dim: true)
        case .running: TextStyle(foreground: .green)
        case .starting: TextStyle(foreground: .cyan)
        case .backingOff: TextStyle(foreground: .yellow)
        case .stopped: TextStyle(dim: true)
        case .failed: TextStyle(foreground: .red, bold: true)
        case .abandoned: TextStyle(foreground: .magenta, bold: true)
        case .warning: TextStyle(foreground: .yellow, bold: true)
        case .critical: TextStyle(foreground: .red, bold: true, reverse: true)
        case .selected: TextStyle(reverse: true)
        case .accent: TextStyle(foreground: .cyan, bold: true)
        case .ok: TextStyle(foreground: .green, bold: true)
        }
    }

    private static func monochrome(_ role: Role) -> TextStyle {
        switch role {
        case .normal, .running: TextStyle()
        case .header, .accent, .ok: TextStyle(bold: true)
        case .dim, .stopped: TextStyle(dim: true)
        case .starting, .backingOff: TextStyle(underline: true)
        case .failed, .abandoned, .warning: TextStyle(bold: true)
        case .critical: TextStyle(bold: true, reverse: true)
        case .selected: TextStyle(reverse: true)
        }
    }
}
