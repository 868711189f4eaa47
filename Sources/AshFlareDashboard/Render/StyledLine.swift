/// What a piece of text means on screen; the terminal maps each role to colours and attributes
/// (see ``Theme``), so the renderer never deals with colours.
public enum Role: String, Hashable, Sendable, CaseIterable {
    /// Ordinary text.
    case normal
    /// Header bars and pane titles.
    case header
    /// Secondary text: column titles, separators, old or inactive things.
    case dim
    /// A running node.
    case running
    /// A node that is starting or stopping.
    case starting
    /// A node waiting for its restart.
    case backingOff
    /// A stopped node.
    case stopped
    /// A failed supervisor, an error result.
    case failed
    /// An abandoned worker.
    case abandoned
    /// Something filling up: an intensity gauge at half or more.
    case warning
    /// Something at its limit: an intensity gauge that escalates on the next restart.
    case critical
    /// The selected row.
    case selected
    /// Highlights: the filter's matches, key names in hints.
    case accent
    /// A successful action.
    case ok
}

/// A run of text drawn with one role.
public struct Span: Hashable, Sendable {
    /// The text, already made safe for the terminal (see ``TextWidth/sanitize(_:ascii:)``).
    public var text: String
    /// What it means.
    public var role: Role
    /// Whether it belongs to the selected row (drawn in reverse video on top of its role).
    public var selected: Bool

    /// Creates a span.
    public init(_ text: String, _ role: Role = .normal, selected: Bool = false) {
        self.text = text
        self.role = role
        self.selected = selected
    }
}

/// One screen line: spans whose total width never exceeds the frame's width.
public struct StyledLine: Hashable, Sendable, CustomStringConvertible {
    /// The spans, left to right.
    public private(set) var spans: [Span]
    /// The width in terminal cells.
    public private(set) var width: Int

    /// Creates an empty line.
    public init() {
        spans = []
        width = 0
    }

    /// Creates a line of one span.
    public init(_ text: String, _ role: Role = .normal) {
        self.init()
        append(text, role)
    }

    /// Appends text; the caller keeps the line within the frame's width.
    public mutating func append(_ text: String, _ role: Role = .normal, selected: Bool = false) {
        guard !text.isEmpty else { return }
        width += TextWidth.cells(text)
        if let last = spans.last, last.role == role, last.selected == selected {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, role, selected: selected))
        }
    }

    /// Appends another line's spans.
    public mutating func append(_ other: StyledLine) {
        for span in other.spans { append(span.text, span.role, selected: span.selected) }
    }

    /// Appends `text` cut or padded to exactly `cells` cells.
    public mutating func append(fitting text: String, cells: Int, _ role: Role = .normal, selected: Bool = false, ascii: Bool = false) {
        guard cells > 0 else { return }
        append(TextWidth.fit(text, to: cells, ascii: ascii), role, selected: selected)
    }

    /// Pads with spaces up to `cells` (no-op if already that wide).
    public mutating func pad(to cells: Int, _ role: Role = .normal, selected: Bool = false) {
        if width < cells { append(String(repeating: " ", count: cells - width), role, selected: selected) }
    }

    /// Marks every span as part of the selected row.
    public mutating func markSelected() {
        for index in spans.indices { spans[index].selected = true }
    }

    /// The first `cells` cells of the line (a wide character cut in half becomes a space).
    public func prefix(cells: Int) -> StyledLine {
        var result = StyledLine()
        for span in spans {
            let room = cells - result.width
            guard room > 0 else { break }
            let spanWidth = TextWidth.cells(span.text)
            if spanWidth <= room {
                result.append(span.text, span.role, selected: span.selected)
            } else {
                var text = ""
                var used = 0
                for character in span.text {
                    let width = TextWidth.cells(character)
                    if used + width > room { break }
                    text.append(character)
                    used += width
                }
                if used < room { text += String(repeating: " ", count: room - used) }
                result.append(text, span.role, selected: span.selected)
            }
        }
        return result
    }

    /// The line from cell `start` on (a wide character cut in half becomes a space).
    public func suffix(fromCell start: Int) -> StyledLine {
        var result = StyledLine()
        var column = 0
        for span in spans {
            for character in span.text {
                let cells = TextWidth.cells(character)
                defer { column += cells }
                if column >= start {
                    result.append(String(character), span.role, selected: span.selected)
                } else if column + cells > start {
                    result.append(String(repeating: " ", count: column + cells - start), span.role, selected: span.selected)
                }
            }
        }
        return result
    }

    /// This line with `other` drawn over it from cell `column` on.
    public func overlaid(with other: StyledLine, at column: Int) -> StyledLine {
        var result = prefix(cells: column)
        result.pad(to: column)
        result.append(other)
        let rest = suffix(fromCell: column + other.width)
        result.append(rest)
        return result
    }

    /// The plain text.
    public var text: String { spans.map(\.text).joined() }

    public var description: String { text }
}
