import ArgumentParser
import AshFlareRemote

/// `--ca`, `--cert`, `--key`, `--server-name` and `--insecure-plaintext`: how `flare` speaks to a
/// `tcp://` node. TCP uses TLS unless `--insecure-plaintext` says otherwise.
struct TLSOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("CA certificates (PEM) the server's certificate must chain to (default: the system's).", valueName: "file"))
    var ca: String?

    @Option(name: .long, help: ArgumentHelp("A client certificate (PEM) for servers that require one (mTLS).", valueName: "file"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("The private key (PEM) of --cert.", valueName: "file"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("The name the server's certificate must carry (default: the host of the URL).", valueName: "name"))
    var serverName: String?

    @Flag(name: .customLong("insecure-plaintext"), help: "INSECURE: speak plain TCP, without TLS (loopback only when a token is sent).")
    var insecurePlaintext = false

    func validate() throws {
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        if insecurePlaintext && (ca != nil || cert != nil || serverName != nil) {
            throw ValidationError("--insecure-plaintext cannot be combined with --ca, --cert, --key or --server-name")
        }
    }

    /// The TLS part of a client configuration.
    func apply(to configuration: inout RemoteSupervisor.Configuration) {
        configuration.tls = RemoteSupervisor.TLS(caFile: ca, certificateFile: cert, keyFile: key, serverName: serverName)
        configuration.insecurePlaintext = insecurePlaintext
    }
}
