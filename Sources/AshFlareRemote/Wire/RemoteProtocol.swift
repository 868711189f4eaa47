/// Constants of the wire protocol (docs/PROTOCOL.md).
public enum RemoteProtocol {
    /// The newest protocol version this library speaks.
    public static let version = 2
    /// The versions a server of this library accepts in `hello`, oldest first.
    public static let supportedVersions = [1, 2]
    /// The server name sent in the hello reply.
    public static let serverName = "ashflare/1"

    /// The version a connection speaks: the newest the server supports among the client's
    /// `version` and `versions`, or nil if there is none.
    public static func negotiate(requested: Int, offered: [Int] = []) -> Int? {
        ([requested] + offered).filter(supportedVersions.contains).max()
    }
}
