import AshFlare

/// A box drawn over the frame that takes the keys until it closes.
public enum Overlay: Hashable, Sendable {
    /// The key list (`?`).
    case help
    /// A destructive action waits for `y` or `n`.
    case confirm(ControlRequest)
    /// A bulk kill of the marked rows waits for `y` or `n`; `skipped` says which marked rows are
    /// left out and why (`shop/reports is failed`).
    case confirmBulk([ControlRequest], skipped: [String])
    /// Choosing a template for `a`.
    case picker(TemplatePicker)
    /// Typing arguments for the chosen template.
    case arguments(TemplatePicker, text: String)
}

/// The template picker's state: where the child goes and which template is highlighted.
public struct TemplatePicker: Hashable, Sendable {
    /// The tree.
    public var node: Int
    /// The supervisor that gets the child.
    public var supervisor: ChildPath
    /// Its incarnation when the user pressed `a`.
    public var incarnation: UInt64
    /// Its templates.
    public var templates: [TemplateInfo]
    /// The highlighted template.
    public var selected: Int = 0

    /// Creates a picker.
    public init(node: Int, supervisor: ChildPath, incarnation: UInt64, templates: [TemplateInfo]) {
        self.node = node
        self.supervisor = supervisor
        self.incarnation = incarnation
        self.templates = templates
    }
}

/// The status line: the latest action result or hint.
public struct StatusMessage: Hashable, Sendable {
    /// How it reads.
    public enum Tone: Hashable, Sendable {
        /// A hint or progress.
        case info
        /// Success.
        case ok
        /// A failure or refusal.
        case error
    }

    /// The text.
    public var text: String
    /// How it reads.
    public var tone: Tone

    /// Creates a status message.
    public init(_ text: String, _ tone: Tone = .info) {
        self.text = text
        self.tone = tone
    }
}

/// Which pane takes the navigation keys.
public enum Pane: Hashable, Sendable {
    /// The tree.
    case tree
    /// The event log.
    case log
    /// The detail pane (a pane of its own only on narrow terminals).
    case detail
}

/// A row of the tree pane: a node of a tree, or (with several trees) a tree's own header row.
public struct RowID: Hashable, Sendable {
    /// The tree.
    public var node: Int
    /// The node's path; `nil` for a tree's header row.
    public var path: ChildPath?

    /// Creates a row id.
    public init(node: Int, path: ChildPath?) {
        self.node = node
        self.path = path
    }
}
