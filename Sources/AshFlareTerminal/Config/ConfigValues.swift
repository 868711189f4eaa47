import AshFlareDashboard

/// The words of the config file's values: roles, colours, attributes (pure).
enum ConfigValues {
    /// A word that is neither a colour nor an attribute.
    struct BadWord: Error {
        let text: String
    }

    /// The role named `key` (`backingOff`, `backing-off`, `backingoff`).
    static func role(_ key: String) -> Role? {
        let folded = key.lowercased().replacing("-", with: "").replacing("_", with: "")
        return Role.allCases.first { $0.rawValue.lowercased() == folded }
    }

    /// `"red bold"` as a style.
    static func style(_ value: String) -> Result<TextStyle, BadWord> {
        var style = TextStyle()
        for word in value.lowercased().split(separator: " ") {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "default": style.foreground = nil
            default:
                guard let color = TerminalColor.allCases.first(where: { "\($0)" == word }) else { return .failure(BadWord(text: String(word))) }
                style.foreground = color
            }
        }
        return .success(style)
    }
}

/// Finds the line of a key in a config file's text, for error messages (TOMLKit does not keep
/// the position of a key that parsed fine).
struct ConfigLines {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The line (1-based) of the header `[name]`, or 1.
    func section(_ name: String) -> Int {
        lines.firstIndex { header($0) == name }.map { $0 + 1 } ?? 1
    }

    /// The line (1-based) of `key = …` in section `section` (nil: before any header), or 1.
    func line(of key: String, in section: String?) -> Int {
        var current: String?
        for (index, line) in lines.enumerated() {
            if let name = header(line) {
                current = name
                if section == nil && name == key { return index + 1 }
                continue
            }
            guard current == section else { continue }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let name = trimmed.prefix { $0 != "=" && $0 != " " && $0 != "\t" }
            if name == key || name == "\"\(key)\"" { return index + 1 }
        }
        return 1
    }

    private func header(_ line: Substring) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("["), let end = trimmed.firstIndex(of: "]") else { return nil }
        return trimmed[trimmed.index(after: trimmed.startIndex)..<end].split(separator: " ").first.map(String.init)
    }
}
