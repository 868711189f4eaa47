/// Plain-text forms of a frame: for `--once`, bug reports and snapshot tests.
public enum FrameText {
    /// The frame's text, one line per row, trailing spaces removed.
    public static func plain(_ lines: [StyledLine]) -> String {
        lines.map { line in
            var text = line.text
            while text.last == " " { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }

    /// The frame with role markers, `{role|text}` for every span not drawn as `normal`, and
    /// `{*role|text}` for spans of the selected row (for tests of styles).
    public static func annotated(_ lines: [StyledLine]) -> String {
        lines.map { line in
            var text = ""
            for span in line.spans {
                if span.role == .normal && !span.selected {
                    text += span.text
                } else {
                    text += "{\(span.selected ? "*" : "")\(span.role.rawValue)|\(span.text)}"
                }
            }
            return text
        }.joined(separator: "\n")
    }
}
