/// Terminal cell widths and safe text: wide (CJK, emoji) characters take two cells, control and
/// invisible formatting characters are replaced, so odd names never break the layout.
public enum TextWidth {
    /// The cells `text` takes on a terminal.
    public static func cells(_ text: String) -> Int {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return text.utf8.count }
        if let simple = simpleCells(text) { return simple }
        var total = 0
        for character in text { total += cells(character) }
        return total
    }

    /// The width of text whose every scalar is printable and one cell wide on its own, whatever
    /// its neighbours (Latin-1 letters, and the arrows, box drawing, blocks and shapes the
    /// dashboard draws with), counted without breaking it into grapheme clusters; nil for
    /// anything else.
    private static func simpleCells(_ text: String) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F, 0xA0..<0xAD, 0xAE..<0x300, 0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x25FC, 0x25FF:
                total += 1
            default:
                return nil
            }
        }
        return total
    }

    /// The cells one character (grapheme cluster) takes: 0, 1 or 2.
    public static func cells(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x80 { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return cells(first)
    }

    /// The cells one scalar takes.
    static func cells(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
             0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// Makes text safe to draw: control characters become `?`, invisible formatting characters
    /// (bidi overrides, zero-width spaces) are dropped, an emoji sequence joined with U+200D keeps
    /// its first emoji, a lone combining mark becomes `?`; with `ascii`, anything outside
    /// printable ASCII becomes `?`.
    public static func sanitize(_ text: String, ascii: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            let scalars = character.unicodeScalars
            guard let first = scalars.first else { continue }
            if ascii {
                result.append(first.value >= 0x20 && first.value < 0x7F && scalars.count == 1 ? character : "?")
                continue
            }
            if first.properties.generalCategory == .control {
                result.append("?")
            } else if scalars.contains(where: { $0.value == 0x200D }) {
                result.unicodeScalars.append(first)
                if cells(first) < 2 { result.unicodeScalars.append(Unicode.Scalar(0xFE0F)!) }
            } else if first.properties.generalCategory == .format {
                let rest = scalars.dropFirst().filter { $0.properties.generalCategory != .format }
                if let base = rest.first, base.properties.generalCategory != .nonspacingMark {
                    result.unicodeScalars.append(contentsOf: rest)
                }
            } else if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark {
                result.append("?")
            } else {
                result.unicodeScalars.append(contentsOf: scalars.filter { $0.properties.generalCategory != .format })
            }
        }
        return result
    }

    /// Cuts `text` to at most `cells` cells, ending with `ellipsis` when it was cut.
    public static func truncate(_ text: String, to cells: Int, ellipsis: String = "…") -> String {
        guard cells > 0 else { return "" }
        if self.cells(text) <= cells { return text }
        let ellipsisWidth = self.cells(ellipsis)
        guard cells > ellipsisWidth else { return String(repeating: ".", count: cells) }
        var result = ""
        var used = 0
        for character in text {
            let width = self.cells(character)
            if used + width > cells - ellipsisWidth { break }
            result.append(character)
            used += width
        }
        return result + ellipsis
    }

    /// Sanitises, truncates and pads `text` to exactly `cells` cells.
    public static func fit(_ text: String, to cells: Int, ascii: Bool = false) -> String {
        let safe = truncate(sanitize(text, ascii: ascii), to: cells, ellipsis: ascii ? "~" : "…")
        let width = self.cells(safe)
        return width < cells ? safe + String(repeating: " ", count: cells - width) : safe
    }
}
