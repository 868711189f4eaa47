import ArgumentParser
import AshFlare
import AshFlareRemote

/// `--connect`, `--token` and the TLS options, shared by every command that talks to a tree.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where the tree is served: unix:///path/to.sock, tls://host:port, or tcp://host:port with --insecure-plaintext (default: $ASHFLARE_CONNECT).", valueName: "url"))
    var connect: String?

    @Option(name: .long, help: ArgumentHelp("The access token (default: $ASHFLARE_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var tls: TLSClientOptions

    /// A client for the endpoint; it connects on first use.
    func client() throws -> RemoteSupervisor {
        guard let url = connect ?? Terminal.environment("ASHFLARE_CONNECT") else {
            throw UsageError(message: "missing --connect URL (or ASHFLARE_CONNECT)")
        }
        let endpoint = try RemoteEndpoint(url: url)
        var configuration = RemoteSupervisor.Configuration(
            token: token ?? Terminal.environment("ASHFLARE_TOKEN"), clientName: "flare/\(Flare.configuration.version)")
        try tls.apply(to: &configuration)
        try configuration.validate(for: endpoint)
        return RemoteSupervisor(endpoint: endpoint, configuration: configuration)
    }
}

/// Parses a command-line path such as `shop/db/pool`.
func parsePath(_ text: String) throws -> ChildPath {
    guard let path = ChildPath(parsing: text) else {
        throw ValidationError("'\(text)' is not a path like root/db/pool (non-empty parts separated by '/')")
    }
    return path
}
