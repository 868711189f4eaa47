/// The identifier of a child within its supervisor: non-empty, without `/`.
///
/// A plain string, as in the Rust crate (`ChildId = String`), so specs read naturally.
public typealias ChildID = String

/// The address of a node in a supervision tree, from the root: `root/db/pool-1`.
///
/// The first component is the root supervisor's id. Paths are what the observer API reports and
/// what every management operation on ``SupervisorHandle`` takes, so a remote client can reach
/// any node without holding a reference to it.
public struct ChildPath: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The ids from the root down to this node; never empty.
    public let components: [ChildID]

    /// Creates a path from its components.
    ///
    /// - Precondition: `components` is not empty.
    public init(components: [ChildID]) {
        precondition(!components.isEmpty, "a ChildPath has at least one component")
        self.components = components
    }

    /// Parses `"root/db/pool-1"`; returns `nil` for an empty path or an empty component.
    public init?(parsing text: String) {
        // One pass over the UTF-8 bytes ("/" is one byte and never inside a character): a remote
        // client parses a path per event, and `split` costs several times more.
        var text = text
        var parts: [String] = []
        let valid = text.withUTF8 { bytes -> Bool in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                guard index > start else { return false }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            return true
        }
        guard valid else { return nil }
        self.components = parts
    }

    /// Creates a path from a literal; traps on an invalid literal, which is a programming error.
    public init(stringLiteral value: String) {
        guard let path = ChildPath(parsing: value) else { preconditionFailure("invalid ChildPath literal '\(value)'") }
        self = path
    }

    /// The id of the node this path names (its last component).
    public var id: ChildID { components[components.count - 1] }

    /// The path of the supervisor above this node, or `nil` for the root.
    public var parent: ChildPath? {
        components.count > 1 ? ChildPath(components: Array(components.dropLast())) : nil
    }

    /// The path of the child `id` below this node.
    public func appending(_ id: ChildID) -> ChildPath { ChildPath(components: components + [id]) }

    /// Whether `self` is `other` or lies below it.
    public func isDescendant(of other: ChildPath) -> Bool {
        components.count >= other.components.count && Array(components.prefix(other.components.count)) == other.components
    }

    /// The slash-separated form, `root/db/pool-1`.
    public var description: String { components.joined(separator: "/") }

    public static func < (lhs: ChildPath, rhs: ChildPath) -> Bool { lhs.description < rhs.description }
}

extension ChildPath: Codable {
    /// Decodes the slash-separated form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let path = ChildPath(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid path '\(text)'")
        }
        self = path
    }

    /// Encodes the slash-separated form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
