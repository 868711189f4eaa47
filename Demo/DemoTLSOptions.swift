import ArgumentParser
import AshFlareRemote
import AshFlareRemoteTLS

/// `--tls-cert`, `--tls-key`, `--tls-client-ca`, `--tls-client` and `--insecure-plaintext`: the
/// server side of TLS for `--serve` (the same options as `flare run --serve`).
struct DemoTLSOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server certificate chain (PEM) for tls:// listeners (SIGHUP reloads it).", valueName: "file"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("The private key (PEM) of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("Require client certificates signed by this CA (PEM): mTLS.", valueName: "file"))
    var tlsClientCa: String?

    @Option(name: .long, help: ArgumentHelp("A client certificate name (subject CN or SAN) and what it grants without a token: NAME=control or NAME=read (repeatable).", valueName: "name=permission"))
    var tlsClient: [String] = []

    @Flag(name: .customLong("insecure-plaintext"), help: "INSECURE: allow tcp:// listeners (no TLS; tokens are then accepted from loopback peers only).")
    var insecurePlaintext = false

    /// The `--tls-client` mappings, or the entry that is not `NAME=PERMISSION`.
    func identities() throws(DemoServingError) -> [String: RemotePermission] {
        var identities: [String: RemotePermission] = [:]
        for entry in tlsClient {
            guard let (name, permission) = RemotePermission.identity(entry) else {
                throw DemoServingError("--tls-client '\(entry)' is not NAME=read or NAME=control")
            }
            identities[name] = permission
        }
        return identities
    }

    /// Checks the options together with the `--serve` endpoints.
    func validate(for endpoints: [RemoteEndpoint], token: String?) throws(DemoServingError) {
        if (tlsCert == nil) != (tlsKey == nil) { throw DemoServingError("--tls-cert and --tls-key go together") }
        if tlsCert == nil && (tlsClientCa != nil || !tlsClient.isEmpty) {
            throw DemoServingError("--tls-client-ca and --tls-client need --tls-cert and --tls-key")
        }
        let identities = try identities()
        for endpoint in endpoints {
            if endpoint.isPlaintextTCP && !insecurePlaintext {
                throw DemoServingError(
                    "--serve \(endpoint): plain TCP carries the token in clear text; serve on tls:// with --tls-cert and --tls-key, or pass --insecure-plaintext")
            }
            if endpoint.isTLS && tlsCert == nil { throw DemoServingError("--serve \(endpoint): a tls:// listener needs --tls-cert and --tls-key") }
            if endpoint.isTCP && (token ?? "").isEmpty && identities.isEmpty {
                throw DemoServingError("--serve \(endpoint): a TCP listener needs a token (--token or ASHFLARE_TOKEN) or --tls-client identities")
            }
        }
    }

    /// The server's TLS, loaded from the files; nil without --tls-cert.
    func security() throws -> TLSServerSecurity? {
        guard let tlsCert, let tlsKey else { return nil }
        return try TLSServerSecurity(
            certificateChainFile: tlsCert, privateKeyFile: tlsKey, clientCAFile: tlsClientCa, clientIdentities: try identities())
    }
}
