/// A rectangle of the frame, in cells.
public struct Rect: Hashable, Sendable {
    /// Left column, top row, width and height.
    public var x, y, width, height: Int
}

/// Where each pane goes for a terminal size and focus (pure; shared by the renderer and the
/// reducer, which needs the page size).
public struct Layout: Hashable, Sendable {
    /// The smallest terminal the dashboard draws in; below it, a one-line message.
    public static let minimumWidth = 40
    /// The smallest terminal the dashboard draws in; below it, a one-line message.
    public static let minimumHeight = 10
    /// From this width on the detail pane sits right of the tree.
    public static let sideDetailWidth = 110

    /// The frame size.
    public var width, height: Int
    /// The tree pane, its column titles included.
    public var tree: Rect
    /// The detail pane beside the tree (wide terminals).
    public var detail: Rect?
    /// The bottom pane: the log, or the detail on narrow terminals when it has the focus.
    public var bottom: Rect?
    /// Whether the bottom pane shows the detail pane instead of the log.
    public var bottomShowsDetail: Bool
    /// How the detail pane is shown.
    public var mode: DetailMode

    /// Whether the terminal is too small to draw in.
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Rows of tree nodes that fit (the pane minus its title row).
    public var treePage: Int { max(1, tree.height - 1) }

    /// Rows of log entries that fit (the pane minus its title row).
    public var logPage: Int { max(1, (bottom?.height ?? 1) - 1) }

    /// The narrowest the detail pane gets beside the tree before names are cut instead.
    public static let narrowDetailWidth = 30

    /// Lays out a frame of `width` × `height` with `focus`.
    /// - Parameters:
    ///   - detail: Whether the detail pane sits beside the tree at full width, narrow, or not at all (`i`).
    ///   - wantedTreeWidth: The tree pane width that shows every name whole; the detail pane
    ///     gives up width (down to ``narrowDetailWidth``) for it.
    public init(width: Int, height: Int, focus: Pane, detail mode: DetailMode = .auto, wantedTreeWidth: Int = 0) {
        self.width = width
        self.height = height
        self.mode = mode
        let bodyTop = 2
        let bodyHeight = max(0, height - 4)
        let bottomHeight = height >= 18 ? max(5, bodyHeight / 3) : (height >= 14 ? 4 : 0)
        let treeHeight = bodyHeight - bottomHeight
        if width >= Self.sideDetailWidth && mode != .hidden {
            let preferred = mode == .narrow ? Self.narrowDetailWidth : min(56, max(36, width * 36 / 100))
            let detailWidth = max(Self.narrowDetailWidth, min(preferred, width - 1 - wantedTreeWidth))
            tree = Rect(x: 0, y: bodyTop, width: width - detailWidth - 1, height: treeHeight)
            detail = Rect(x: width - detailWidth, y: bodyTop, width: detailWidth, height: treeHeight)
            bottomShowsDetail = false
        } else {
            tree = Rect(x: 0, y: bodyTop, width: width, height: treeHeight)
            detail = nil
            bottomShowsDetail = focus == .detail && mode != .hidden
        }
        bottom = bottomHeight > 0 ? Rect(x: 0, y: bodyTop + treeHeight, width: width, height: bottomHeight) : nil
    }

    /// The panes Tab cycles through.
    public var panes: [Pane] {
        var panes: [Pane] = [.tree]
        if bottom != nil { panes.append(.log) }
        if detail == nil && bottom != nil && mode != .hidden { panes.append(.detail) }
        return panes
    }
}

/// How the detail pane is shown (`i` cycles): beside the tree when the terminal is wide enough,
/// else in the bottom pane on Tab.
public enum DetailMode: Hashable, Sendable, CaseIterable {
    /// Full width (it still yields width to names, down to ``Layout/narrowDetailWidth``).
    case auto
    /// Always ``Layout/narrowDetailWidth`` wide.
    case narrow
    /// Not shown: the tree takes the whole width.
    case hidden

    /// The next mode `i` moves to.
    public var next: DetailMode {
        switch self {
        case .auto: .narrow
        case .narrow: .hidden
        case .hidden: .auto
        }
    }
}
