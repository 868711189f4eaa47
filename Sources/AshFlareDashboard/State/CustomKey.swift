/// A key the application adds to the dashboard, such as the demo's `c` (chaos monkey on/off).
///
/// The reducer turns the key into ``DashboardCommand/custom(_:)``; the application's handler
/// (see `Dashboard.run(nodes:options:onCustomKey:)`) does the work and answers with a
/// ``CustomKeyOutcome`` that the dashboard shows.
public struct CustomKey: Hashable, Sendable {
    /// The key.
    public var character: Character
    /// What it does, for the help overlay: `chaos monkey on / off`.
    public var help: String
    /// One word for the key line at the bottom: `chaos`.
    public var label: String
    /// Whether the key changes a tree (then `--readonly` disables it).
    public var changesTree: Bool

    /// Creates a custom key; `label` defaults to the first word of `help`.
    public init(_ character: Character, label: String? = nil, help: String, changesTree: Bool = true) {
        self.character = character
        self.help = help
        self.label = label ?? String(help.split(separator: " ").first ?? "")
        self.changesTree = changesTree
    }
}

/// What the application's handler of a ``CustomKey`` reports back.
public struct CustomKeyOutcome: Hashable, Sendable {
    /// For the status line and the event log: `chaos monkey on: a random kill every 1 s`.
    public var message: String
    /// The header badge from now on (`CHAOS 1/s`), or nil for none.
    public var badge: String?

    /// Creates an outcome.
    public init(message: String, badge: String?) {
        self.message = message
        self.badge = badge
    }
}
