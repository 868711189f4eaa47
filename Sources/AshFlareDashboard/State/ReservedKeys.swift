/// The keys the dashboard itself uses; a ``CustomKey`` or a remapped key may not take one.
public enum ReservedKeys {
    /// Every built-in character key of the tree view and what it does (arrows, Enter, Esc, Tab,
    /// Backspace, PgUp/PgDn, Home/End and Ctrl keys are reserved too). The logs pane (`l`) and a
    /// replay take their own keys while they are on screen (`w`, `W`, `L`; `.`, `,`, `t`), which
    /// custom keys never reach, so those stay free in the tree view.
    public static let all: [(key: Character, meaning: String)] = [
        ("q", "quit"), ("j", "move down"), ("k", "move up"), ("g", "jump to the top"), ("G", "jump to the bottom"),
        ("h", "collapse / go to parent"), ("l", "logs pane of the selected worker"), ("→", "expand / go to child"), ("/", "filter"), ("p", "pause"),
        ("+", "redraw faster"), ("=", "redraw faster"), ("-", "redraw slower"), ("_", "redraw slower"),
        ("f", "event log of the selected subtree"), ("?", "help"),
        ("x", "kill"), ("r", "restart"), ("t", "terminate"), ("d", "delete"), ("a", "add a child"), ("s", "shut down"),
        (" ", "mark for a bulk kill"), ("n", "next node in trouble"), ("N", "previous node in trouble"),
        ("C", "collapse all"), ("E", "expand all"), ("o", "sort order"), ("i", "detail pane: wide / narrow / hidden"),
        ("R", "record the tree to a file"),
        ("y", "confirm (in a prompt)"),
    ]

    /// What built-in key `character` does, or nil when it is free.
    public static func meaning(of character: Character) -> String? {
        all.first { $0.key == character }?.meaning
    }

    /// Keys a ``DashboardOptions/keyMap`` may point at (the built-in keys of the normal view).
    public static func isRemappable(_ character: Character) -> Bool {
        character != "y" && meaning(of: character) != nil
    }
}

/// Options that cannot work together: a custom key on a built-in key, a remap onto a key in use.
public struct DashboardOptionsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming both sides: `custom key 'g' (goto) collides with the built-in 'g' (jump to the top)`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension DashboardOptions {
    /// Checks that custom and remapped keys collide with nothing; the dashboard refuses to start
    /// otherwise (no key silently overrides another).
    public func validate() throws(DashboardOptionsError) {
        var seen: [Character: String] = [:]
        for custom in customKeys {
            if let builtIn = ReservedKeys.meaning(of: custom.character) {
                throw DashboardOptionsError(
                    "custom key '\(custom.character)' (\(custom.help)) collides with the built-in '\(custom.character)' (\(builtIn)); choose another key")
            }
            if let other = seen[custom.character] {
                throw DashboardOptionsError("custom key '\(custom.character)' is given twice: '\(other)' and '\(custom.help)'")
            }
            seen[custom.character] = custom.help
        }
        for (pressed, builtIn) in keyMap.sorted(by: { $0.key < $1.key }) {
            guard ReservedKeys.isRemappable(builtIn) else {
                throw DashboardOptionsError("key map '\(pressed)' → '\(builtIn)': '\(builtIn)' is not a built-in key")
            }
            if let taken = ReservedKeys.meaning(of: pressed) {
                throw DashboardOptionsError(
                    "key map '\(pressed)' → '\(builtIn)' (\(ReservedKeys.meaning(of: builtIn)!)) collides with the built-in '\(pressed)' (\(taken))")
            }
            if let custom = seen[pressed] {
                throw DashboardOptionsError("key map '\(pressed)' → '\(builtIn)' collides with the custom key '\(pressed)' (\(custom))")
            }
        }
    }
}
