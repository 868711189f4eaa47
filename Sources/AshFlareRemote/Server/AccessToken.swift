/// A secret a client presents in `hello`, and the permission it grants.
///
/// The secret never appears in descriptions or logs.
public struct AccessToken: Sendable, CustomStringConvertible {
    /// The secret; compared in constant time.
    public var secret: String
    /// What a connection holding this token may do.
    public var permission: RemotePermission

    /// Creates a token granting `permission` (``RemotePermission/control`` unless told otherwise).
    public init(_ secret: String, permission: RemotePermission = .control) {
        self.secret = secret
        self.permission = permission
    }

    /// The permission and the secret's length, never the secret.
    public var description: String { "AccessToken(\(permission), \(secret.utf8.count) bytes)" }
}

/// Checks presented tokens against the configured ones without leaking where they differ.
struct TokenVerifier: Sendable {
    private let tokens: [(secret: [UInt8], permission: RemotePermission)]

    init(_ tokens: [AccessToken]) {
        self.tokens = tokens.map { (Array($0.secret.utf8), $0.permission) }
    }

    /// Whether any token is configured.
    var isEmpty: Bool { tokens.isEmpty }

    /// The permission of the token equal to `presented`, or `nil`.
    ///
    /// Every configured token is compared, each in time that depends only on the presented
    /// token's length, so timing reveals neither which token nor which byte differed.
    func permission(for presented: String) -> RemotePermission? {
        let presented = Array(presented.utf8)
        var granted: RemotePermission?
        for token in tokens where Self.constantTimeEquals(token.secret, presented) {
            granted = max(granted ?? token.permission, token.permission)
        }
        return granted
    }

    /// Compares in time proportional to `presented.count`, whatever the contents.
    static func constantTimeEquals(_ expected: [UInt8], _ presented: [UInt8]) -> Bool {
        guard !expected.isEmpty else { return false }
        var difference = UInt64(truncatingIfNeeded: expected.count ^ presented.count)
        for index in presented.indices {
            difference |= UInt64(presented[index] ^ expected[index % expected.count])
        }
        return difference == 0
    }
}
