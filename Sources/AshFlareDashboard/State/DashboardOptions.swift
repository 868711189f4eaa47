/// How the dashboard behaves: confirmation, read-only mode, symbols, colour, refresh rate.
public struct DashboardOptions: Hashable, Sendable {
    /// Whether destructive keys (kill, terminate, delete, shut down, restart of a running node)
    /// ask for `y`/`n` first. `--no-confirm` turns it off.
    public var confirmDestructive: Bool
    /// Whether every key that changes a tree is disabled (`--readonly`).
    public var readOnly: Bool
    /// Whether to draw with ASCII only (`--ascii`).
    public var ascii: Bool
    /// Whether to use colour; false when `NO_COLOR` is set. State is never shown by colour alone.
    public var color: Bool
    /// How often the screen is redrawn while things change.
    public var refreshInterval: Duration
    /// The product name in the header.
    public var title: String
    /// Keys the application adds (listed in the help overlay).
    public var customKeys: [CustomKey]
    /// A short mode shown in the header after the title (`CHAOS 1/s`), or nil.
    public var badge: String?
    /// Whether clicks and the wheel work (`--no-mouse` turns them off, leaving the terminal's
    /// own selection and scrolling alone).
    public var mouse: Bool = true
    /// Extra keys for built-in actions: pressing the key does what the value's built-in key
    /// does (`"K": "x"` kills with K too; x keeps working). From the config file's `[keys]`.
    public var keyMap: [Character: Character] = [:]
    /// Styles that replace the built-in ones per role (the config file's `[theme]`).
    public var theme: [Role: TextStyle] = [:]
    /// Where `w` in the logs pane and `R` (record) write their files (default: the current directory).
    public var saveDirectory = "."
    /// Whether `R` can record (the program passed a ``DashboardRecorder``); set by the terminal dashboard.
    public var canRecord = false

    /// Creates options; the defaults confirm destructive keys, allow control, use UTF-8 and colour,
    /// and redraw once a second.
    public init(
        confirmDestructive: Bool = true, readOnly: Bool = false, ascii: Bool = false, color: Bool = true,
        refreshInterval: Duration = .seconds(1), title: String = "AshFlare",
        customKeys: [CustomKey] = [], badge: String? = nil
    ) {
        self.confirmDestructive = confirmDestructive
        self.readOnly = readOnly
        self.ascii = ascii
        self.color = color
        self.refreshInterval = refreshInterval
        self.title = title
        self.customKeys = customKeys
        self.badge = badge
    }

    /// The refresh intervals `+` and `-` step through.
    public static let refreshSteps: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)]

    /// Options for this process's environment: `NO_COLOR` set (to anything) turns colour off.
    public static func fromEnvironment(_ environment: [String: String], base: DashboardOptions = DashboardOptions()) -> DashboardOptions {
        var options = base
        if environment["NO_COLOR"] != nil { options.color = false }
        return options
    }
}
