import ArgumentParser
import AshFlareRemote
import AshFlareRemoteTLS

/// `--tls-ca`, `--tls-cert`, `--tls-key`, `--tls-server-name` and `--insecure-plaintext`: how a
/// connecting command speaks to a TCP node. `tls://` uses TLS; `tcp://` is plain text and needs
/// `--insecure-plaintext` (and then sends a token only to a loopback host).
struct TLSClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("CA certificates (PEM) the server's certificate must chain to (default: the system's).", valueName: "file"))
    var tlsCa: String?

    @Option(name: .long, help: ArgumentHelp("A client certificate (PEM) for servers that require one (mTLS).", valueName: "file"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("The private key (PEM) of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("The name the server's certificate must carry (default: the host of the URL).", valueName: "name"))
    var tlsServerName: String?

    @Flag(name: .customLong("insecure-plaintext"), help: "INSECURE: allow tcp:// (no TLS: everything in clear text; a token is sent to loopback hosts only).")
    var insecurePlaintext = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    /// Sets the TLS part of `configuration`, loading the files (errors name the file).
    func apply(to configuration: inout RemoteSupervisor.Configuration) throws {
        configuration.insecurePlaintext = insecurePlaintext
        configuration.tls = try TLSClientSecurity(caFile: tlsCa, certificateFile: tlsCert, keyFile: tlsKey, serverName: tlsServerName)
    }
}

/// `--tls-cert`, `--tls-key`, `--tls-client-ca`, `--tls-client` and `--insecure-plaintext` for
/// `flare run --serve`: the server side of TLS.
struct TLSServeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server certificate chain (PEM) for tls:// listeners.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("The private key (PEM) of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(name: .long, help: ArgumentHelp("Require client certificates signed by this CA (PEM): mTLS.", valueName: "file"))
    var tlsClientCa: String?

    @Option(name: .long, help: ArgumentHelp("A client certificate name (subject CN or SAN) and what it grants without a token, e.g. alice=control or grafana=read (repeatable; needs --tls-client-ca).", valueName: "name=permission"))
    var tlsClient: [String] = []

    @Flag(name: .customLong("insecure-plaintext"), help: "INSECURE: allow tcp:// listeners (no TLS; tokens are then accepted from loopback peers only).")
    var insecurePlaintext = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsCert == nil && (tlsClientCa != nil || !tlsClient.isEmpty) {
            throw ValidationError("--tls-client-ca and --tls-client need --tls-cert and --tls-key")
        }
        _ = try identities()
    }

    /// The `--tls-client` mappings.
    func identities() throws -> [String: RemotePermission] {
        var identities: [String: RemotePermission] = [:]
        for entry in tlsClient {
            guard let (name, permission) = RemotePermission.identity(entry) else {
                throw ValidationError("--tls-client '\(entry)' is not NAME=read or NAME=control")
            }
            identities[name] = permission
        }
        return identities
    }

    /// The server's TLS, loaded from the files; nil without --tls-cert.
    func security() throws -> TLSServerSecurity? {
        guard let tlsCert, let tlsKey else { return nil }
        return try TLSServerSecurity(
            certificateChainFile: tlsCert, privateKeyFile: tlsKey, clientCAFile: tlsClientCa, clientIdentities: try identities())
    }
}
