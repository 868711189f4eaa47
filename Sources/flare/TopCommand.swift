import ArgumentParser
import AshFlare
import AshFlareDashboard
import AshFlareRemote
import AshFlareTerminal
import AshFlareRecording

/// `flare top`: the live dashboard over one or more served trees, each shown as its own tree.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Watch and steer served trees in the live terminal dashboard (x kills, r restarts, ? lists keys).",
        discussion: """
            Give --connect once per node. A node that goes away is shown as disconnected and is \
            reconnected with backoff. With --once, one frame is printed as plain text and flare exits.
            """)

    @Option(name: .long, help: ArgumentHelp("A node to attach to: unix:///path/to.sock, tls://host:port, or tcp://host:port with --insecure-plaintext; repeat for several (default: $ASHFLARE_CONNECT).", valueName: "url"))
    var connect: [String] = []

    @Option(name: .long, help: ArgumentHelp("The access token for every node (default: $ASHFLARE_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var tls: TLSClientOptions

    @Flag(help: "Print one frame as plain text and exit.")
    var once = false

    @Option(help: "Frame width for --once (default: the terminal's, else 100).")
    var width: Int?

    @Option(help: "Frame height for --once (default: the terminal's, else 32).")
    var height: Int?

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "Do not use colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Do not ask before destructive keys.")
    var noConfirm = false

    @Flag(help: "Watch only: disable every key that changes a tree.")
    var readonly = false

    @Option(help: "Redraw interval in seconds (0.25 to 5).")
    var refresh: Double = 1

    @Flag(help: "Do not take the mouse (clicks and the wheel then select and scroll as the terminal does).")
    var noMouse = false

    @Option(help: ArgumentHelp("The dashboard config file (theme, keys; default: $XDG_CONFIG_HOME/ashflare/dashboard.toml, else ~/.config/ashflare/dashboard.toml).", valueName: "path"))
    var config: String?

    func validate() throws {
        if !(0.25...5).contains(refresh) { throw ValidationError("--refresh must be within 0.25...5 (was \(refresh))") }
        if let width, width < 1 { throw ValidationError("--width must be positive (was \(width))") }
        if let height, height < 1 { throw ValidationError("--height must be positive (was \(height))") }
    }

    func run() async throws {
        let urls = connect.isEmpty ? Terminal.environment("ASHFLARE_CONNECT").map { [$0] } ?? [] : connect
        guard !urls.isEmpty else { throw UsageError(message: "missing --connect URL (or ASHFLARE_CONNECT)") }
        var settings = RemoteSupervisor.Configuration(
            token: token ?? Terminal.environment("ASHFLARE_TOKEN"), clientName: "flare-top/\(Flare.configuration.version)")
        try tls.apply(to: &settings)
        let configuration = settings
        let endpoints = try urls.map { try RemoteEndpoint(url: $0) }
        for endpoint in endpoints { try configuration.validate(for: endpoint) }
        let names = Self.nodeNames(endpoints)
        let nodes = zip(endpoints, names).map { endpoint, name in
            DashboardNode(name: name) { try await RemoteSupervisor.connect(to: endpoint, configuration: configuration) }
        }
        var options = DashboardOptions.fromEnvironment(Dashboard.environment, base: DashboardOptions(
            confirmDestructive: !noConfirm, readOnly: readonly, ascii: ascii, color: !noColor,
            refreshInterval: .milliseconds(Int64(refresh * 1000)), title: "flare top"))
        if noColor { options.color = false }
        options.mouse = !noMouse
        try DashboardConfig.load(explicitPath: config, environment: Dashboard.environment).apply(to: &options)
        if once {
            let size = Dashboard.terminalSize()
            Terminal.output(await HeadlessFrame.render(nodes: nodes, options: options, width: width ?? size.width, height: height ?? size.height))
            return
        }
        _ = try await Dashboard.run(nodes: nodes, options: options, recorder: FileRecorder(source: urls.joined(separator: " ")))
    }

    /// Short names for the dashboard: a Unix socket's file name without `.sock`, a TCP node's
    /// `host:port`; the full URLs when two short names would be the same.
    static func nodeNames(_ endpoints: [RemoteEndpoint]) -> [String] {
        let short = endpoints.map { endpoint -> String in
            if let (host, port) = endpoint.tcpAddress { return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
            let file = endpoint.unixSocketPath.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? endpoint.description
            return file.hasSuffix(".sock") && file.count > 5 ? String(file.dropLast(5)) : file
        }
        return Set(short).count == short.count ? short : endpoints.map(\.description)
    }
}
