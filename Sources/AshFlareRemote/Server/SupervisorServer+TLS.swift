extension SupervisorServer {
    /// TLS for the server's TCP listeners: its certificate and key, and optionally the client
    /// certificates it accepts (mTLS).
    ///
    /// Files are PEM. The server speaks TLS 1.2 and 1.3 only. It rereads the files when they
    /// change: before each new connection it compares their modification times with those it
    /// loaded, and a new connection gets the new certificate (connections already open keep
    /// theirs). A file that fails to load is logged and the previous certificate stays in use.
    /// ```swift
    /// configuration.tls = .init(
    ///     certificateChainFile: "/etc/shop/flare.pem", privateKeyFile: "/etc/shop/flare-key.pem",
    ///     clientCAFile: "/etc/shop/operators-ca.pem",
    ///     clientCertificates: [.init(file: "/etc/shop/alice.pem", permission: .control)])
    /// ```
    public struct TLS: Sendable {
        /// The server's certificate, then any intermediates, as PEM.
        public var certificateChainFile: String
        /// The server certificate's private key, as PEM.
        public var privateKeyFile: String
        /// With it, every TLS client must present a certificate this CA (PEM, one or more
        /// certificates) signed and that is valid now (mTLS); without it, clients present none.
        public var clientCAFile: String?
        /// Which client certificates grant which permission without a token. A client whose
        /// certificate is verified but not listed needs a token, like a client without one.
        /// Removing a certificate from the list (and its file) revokes it for new connections.
        public var clientCertificates: [ClientCertificate]

        /// Creates a TLS configuration.
        public init(
            certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil,
            clientCertificates: [ClientCertificate] = []
        ) {
            self.certificateChainFile = certificateChainFile
            self.privateKeyFile = privateKeyFile
            self.clientCAFile = clientCAFile
            self.clientCertificates = clientCertificates
        }

        /// Every file the configuration names, for reloading.
        var files: [String] {
            [certificateChainFile, privateKeyFile] + (clientCAFile.map { [$0] } ?? []) + clientCertificates.map(\.file)
        }
    }

    /// A client certificate (a PEM file) and the permission it grants, like a token's.
    public struct ClientCertificate: Sendable {
        /// The certificate, as PEM.
        public var file: String
        /// What a connection presenting it may do.
        public var permission: RemotePermission

        /// Creates a mapping from a client certificate to a permission.
        public init(file: String, permission: RemotePermission) {
            self.file = file
            self.permission = permission
        }
    }
}

extension RemoteEndpoint {
    /// Whether the endpoint is TCP on a loopback address (`127.0.0.0/8`, `::1`, `localhost`),
    /// which no other machine can reach.
    public var isLoopback: Bool {
        guard let (host, _) = tcpAddress else { return false }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
