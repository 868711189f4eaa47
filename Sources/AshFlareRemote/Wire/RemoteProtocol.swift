/// Constants of the wire protocol (docs/PROTOCOL.md).
public enum RemoteProtocol {
    /// The protocol version this library speaks.
    public static let version = 1
    /// The versions a server of this library accepts in `hello`.
    public static let supportedVersions = [1]
    /// The server name sent in the hello reply.
    public static let serverName = "ashflare/1"
}
