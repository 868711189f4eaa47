import AshFlareDashboard
import TOMLKit

#if canImport(Glibc)
import Glibc
#endif

/// The dashboard's config file: theme colours and extra keys, in TOML.
///
/// ```toml
/// # ~/.config/ashflare/dashboard.toml
/// [theme]
/// running = "green"        # a colour, attributes, or both
/// failed = "magenta bold"
/// selected = "reverse"
///
/// [keys]
/// kill = "K"               # K kills too (x keeps working)
/// next-trouble = "!"
/// ```
/// Colours: black, red, green, yellow, blue, magenta, cyan, white, default; attributes: bold,
/// dim, reverse, underline. Roles: ``Role``'s cases (`backingOff` may be written `backing-off`).
/// Actions: ``DashboardConfig/actions``. Any bad entry is an error naming the file, the line
/// and the entry; nothing is applied then.
public struct DashboardConfig: Hashable, Sendable {
    /// Styles per role.
    public var theme: [Role: TextStyle] = [:]
    /// Extra key → the built-in key it stands for.
    public var keyMap: [Character: Character] = [:]

    /// The actions `[keys]` can bind, and their built-in keys.
    public static let actions: [(name: String, key: Character)] = [
        ("up", "k"), ("down", "j"), ("top", "g"), ("bottom", "G"), ("collapse", "h"), ("expand", "→"), ("logs", "l"),
        ("filter", "/"), ("pause", "p"), ("faster", "+"), ("slower", "-"), ("log-subtree", "f"), ("help", "?"), ("quit", "q"),
        ("kill", "x"), ("restart", "r"), ("terminate", "t"), ("delete", "d"), ("add", "a"), ("shutdown", "s"),
        ("mark", " "), ("next-trouble", "n"), ("previous-trouble", "N"), ("collapse-all", "C"), ("expand-all", "E"),
        ("sort", "o"), ("detail", "i"),
    ]

    /// Creates an empty config.
    public init() {}

    /// `$XDG_CONFIG_HOME/ashflare/dashboard.toml`, else `$HOME/.config/ashflare/dashboard.toml`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/ashflare/dashboard.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/ashflare/dashboard.toml" }
        return nil
    }

    /// Reads the config for `--config PATH` (which must exist) or, without it, the default path
    /// (which may be missing: then the config is empty).
    public static func load(explicitPath: String?, environment: [String: String]) throws(DashboardError) -> DashboardConfig {
        guard let path = explicitPath ?? defaultPath(environment: environment) else { return DashboardConfig() }
        guard let text = readFile(path) else {
            if explicitPath == nil { return DashboardConfig() }
            throw DashboardError("\(path): cannot read the config file (\(String(cString: strerror(errno))))")
        }
        return try parse(text, file: path)
    }

    /// Parses a config file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(DashboardError) -> DashboardConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw DashboardError("\(file):\(error.source.begin.line): \(error.description)")
        } catch {
            throw DashboardError("\(file): \(error)")
        }
        var config = DashboardConfig()
        let lines = ConfigLines(text)
        for section in table.keys where !["theme", "keys"].contains(section) {
            throw DashboardError("\(file):\(lines.section(section)): unknown section [\(section)] (known: [theme], [keys])")
        }
        if let theme = table["theme"] {
            guard let theme = theme.table else { throw DashboardError("\(file):\(lines.line(of: "theme", in: nil)): theme must be a table ([theme])") }
            for key in theme.keys {
                let line = lines.line(of: key, in: "theme")
                guard let role = ConfigValues.role(key) else {
                    throw DashboardError("\(file):\(line): [theme] \(key): not a role (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard let value = theme[key]?.string else { throw DashboardError("\(file):\(line): [theme] \(key): expected a string such as \"red bold\"") }
                switch ConfigValues.style(value) {
                case .success(let style): config.theme[role] = style
                case .failure(let word): throw DashboardError("\(file):\(line): [theme] \(key) = \"\(value)\": '\(word.text)' is not a colour or attribute")
                }
            }
        }
        if let keys = table["keys"] {
            guard let keys = keys.table else { throw DashboardError("\(file):\(lines.line(of: "keys", in: nil)): keys must be a table ([keys])") }
            for action in keys.keys {
                let line = lines.line(of: action, in: "keys")
                guard let builtIn = actions.first(where: { $0.name == action })?.key else {
                    throw DashboardError("\(file):\(line): [keys] \(action): not an action (\(actions.map(\.name).joined(separator: ", ")))")
                }
                guard let value = keys[action]?.string, value.count == 1, let pressed = value.first else {
                    throw DashboardError("\(file):\(line): [keys] \(action): expected one character in quotes, such as \"K\"")
                }
                config.keyMap[pressed] = builtIn
            }
        }
        var check = DashboardOptions()
        check.keyMap = config.keyMap
        do { try check.validate() } catch { throw DashboardError("\(file): [keys]: \(error.message)") }
        return config
    }

    /// Adds the theme and keys to `options`.
    public func apply(to options: inout DashboardOptions) {
        options.theme.merge(theme) { $1 }
        options.keyMap.merge(keyMap) { $1 }
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
            if bytes.count > 1 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
