/// What a connection may do: watch the tree, or also change it.
///
/// ``read`` allows `snapshot`, `subscribe`, `unsubscribe`, `whichChildren`, `countChildren` and
/// `ping`; ``control`` adds `kill`, `terminate`, `restart`, `delete`, `startChild` and `shutdown`.
public struct RemotePermission: Hashable, Sendable, Comparable, CustomStringConvertible {
    private enum Wrapped: Int, Hashable, Sendable {
        case read = 0
        case control = 1
    }

    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// Observe only: snapshots, events, child lists and counts.
    public static let read = RemotePermission(.read)
    /// Observe and manage: everything `read` allows plus every operation that changes the tree.
    public static let control = RemotePermission(.control)

    /// The name on the wire: `read` or `control`.
    public var name: String {
        switch wrapped {
        case .read: "read"
        case .control: "control"
        }
    }

    /// Looks a permission up by its ``name``.
    public init?(name: String) {
        switch name {
        case "read": self = .read
        case "control": self = .control
        default: return nil
        }
    }

    /// The ``name``.
    public var description: String { name }

    /// Reads `NAME=read` or `NAME=control` (a client certificate's name and what it grants, as
    /// `--tls-client` takes it); nil for anything else.
    public static func identity(_ entry: String) -> (name: String, permission: RemotePermission)? {
        guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex,
              let permission = RemotePermission(name: String(entry[entry.index(after: equals)...]))
        else { return nil }
        return (String(entry[..<equals]), permission)
    }

    /// `read` orders before `control`.
    public static func < (lhs: RemotePermission, rhs: RemotePermission) -> Bool { lhs.wrapped.rawValue < rhs.wrapped.rawValue }
}
