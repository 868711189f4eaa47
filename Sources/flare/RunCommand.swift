import ArgumentParser
import AshFlare
import AshFlareDashboard
import AshFlarePrometheus
import AshFlareRemote
import AshFlareRemoteTLS
import AshFlareServiceLifecycle
import AshFlareTerminal
import AshFlareTreeFile
import Logging
import Prometheus
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
import AshFlareRecording
#endif

/// `flare run FILE`: start a tree of process children from a YAML tree file and watch it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start a tree of processes from a YAML tree file, in the live dashboard (x kills, q quits).",
        discussion: """
            The file is checked whole before anything starts; a bad one gets one line naming the file, \
            line and field (exit code 2). On q, Ctrl-C or SIGTERM the tree stops in reverse start order, \
            each process per its shutdown policy (SIGTERM, then SIGKILL after its timeout). \
            The format is in docs/PROCESSES.md.
            """)

    @Argument(help: ArgumentHelp("The tree file (YAML).", valueName: "file"))
    var file: String

    @Flag(help: "No dashboard: run until Ctrl-C or SIGTERM, printing events as text.")
    var headless = false

    @Flag(help: "Print one frame of the dashboard as plain text once the tree has started, stop it and exit.")
    var once = false

    @Option(help: ArgumentHelp("Serve the tree on unix:///PATH, tls://HOST:PORT (with --tls-cert/--tls-key) or tcp://HOST:PORT (with --insecure-plaintext); repeatable, for flare top. SIGHUP reloads the TLS files.", valueName: "url"))
    var serve: [String] = []

    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics (tcp://HOST:PORT; port 0 picks one).", valueName: "url"))
    var metrics: String?

    @Option(help: ArgumentHelp("The token TCP clients must present (default: $ASHFLARE_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var tls: TLSServeOptions

    @Flag(help: "Watch only: disable every key that changes the tree (and serve read-only).")
    var readonly = false

    @Flag(help: "Do not ask before destructive keys.")
    var noConfirm = false

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "Do not use colour (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: "Frame width for --once (default: the terminal's, else 100).")
    var width: Int?

    @Option(help: "Frame height for --once (default: the terminal's, else 32).")
    var height: Int?

    func validate() throws {
        if headless && once { throw ValidationError("--headless cannot be combined with --once") }
        if let metrics {
            do throws(MetricsAddress.Error) { _ = try MetricsAddress(url: metrics) } catch { throw ValidationError("--metrics: \(error.message)") }
        }
    }

    func run() async throws {
        let spec: SupervisorSpec
        spec = try TreeFile.load(file)
        let endpoints = try serve.map { url -> RemoteEndpoint in
            let endpoint = try RemoteEndpoint(url: url)
            if endpoint.isPlaintextTCP && !tls.insecurePlaintext {
                throw UsageError(message: "--serve \(url): plain TCP carries the token in clear text; serve on tls:// with --tls-cert and --tls-key, or pass --insecure-plaintext")
            }
            if endpoint.isTLS && tls.tlsCert == nil {
                throw UsageError(message: "--serve \(url): a tls:// listener needs --tls-cert and --tls-key")
            }
            if try endpoint.isTCP && (serveToken ?? "").isEmpty && tls.identities().isEmpty {
                throw UsageError(message: "--serve \(url): a TCP listener needs a token (--token or ASHFLARE_TOKEN) or --tls-client identities")
            }
            return endpoint
        }
        let security = try tls.security()
        let registry = PrometheusCollectorRegistry()
        let treeOptions = SupervisionOptions(metricsFactory: metrics == nil ? nil : PrometheusMetricsFactory(registry: registry))
        // Text mode catches its stop signals from before the socket exists: a script may signal
        // as soon as it sees it (the dashboard handles its own).
        let textMode = !once && (headless || isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1)
        let stopSignal = textMode ? await StopSignal.listen() : nil
        // One ServiceGroup: metrics, server, tree, then what runs in the foreground. When the
        // foreground ends the group stops the rest in reverse order: the tree (its clients see
        // every shutdown event), then the server, then the metrics endpoint.
        let tree = SupervisionTreeService(spec, options: treeOptions)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let metricsService = try metrics.map { MetricsEndpointService(serving: registry, at: try MetricsAddress(url: $0)) }
        if let metricsService { services.append(.init(service: metricsService)) }
        var server: SupervisorServerService?
        if !endpoints.isEmpty {
            let permission: RemotePermission = readonly ? .read : .control
            let configuration = SupervisorServer.Configuration(
                listeners: endpoints, tokens: serveToken.map { [AccessToken($0, permission: permission)] } ?? [],
                readOnly: readonly, unixSocketPermission: permission, tls: security, insecurePlaintext: tls.insecurePlaintext)
            server = SupervisorServerService(configuration: configuration) { try await tree.handle() }
            services.append(.init(service: server!))
        }
        // A root that gives up leaves the tree's post-mortem on screen until the user stops.
        services.append(.init(service: tree, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        let foreground = ForegroundService { [server, stopSignal, options, headless, once, width, height, file] in
            let handle = try await tree.handle()
            if let metricsService {
                let address = try await metricsService.endpoint().address
                Terminal.error("run: Prometheus metrics at http://\(address.host):\(address.port)/metrics")
            }
            var reloading: Task<Void, Never>?
            defer { reloading?.cancel() }
            if let server {
                let bound = try await server.server()
                // While the dashboard owns the terminal nothing may print: reports go to stderr
                // only without it. SIGHUP is trapped before the endpoints are announced: a script
                // may send it as soon as it reads them.
                let quiet = !(headless || isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1) || once
                reloading = await security?.reloadOnHangup { outcome in
                    guard !quiet else { return }
                    switch outcome {
                    case .success(let count): Terminal.error("run: SIGHUP: reloaded the TLS certificate (load \(count))")
                    case .failure(let error): Terminal.error("run: SIGHUP: \(error.message); keeping the previous certificate")
                    }
                }
                for endpoint in bound.endpoints { Terminal.error("run: serving on \(endpoint) — attach with: flare top --connect \(endpoint)") }
            }
            let node = DashboardNode(name: spec.id, control: handle)
            var reason = "stopped"
            if once {
                let size = Dashboard.terminalSize()
                Terminal.output(await HeadlessFrame.render(nodes: [node], options: options, width: width ?? size.width, height: height ?? size.height))
            } else if let stopSignal {
                reason = await Self.runHeadless(handle, until: stopSignal)
            } else {
                reason = try await Dashboard.run(nodes: [node], options: options, recorder: FileRecorder(source: "flare run \(file)"))
            }
            if !once { Terminal.error("run: \(reason); stopping the tree (reverse order)…") }
        }
        services.append(foreground.configuration)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, logger: Logger(label: "flare run", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await group.run()
        if !once { Terminal.error("run: stopped") }
    }

    private var serveToken: String? { token ?? Terminal.environment("ASHFLARE_TOKEN") }

    private var options: DashboardOptions {
        var options = DashboardOptions.fromEnvironment(Dashboard.environment, base: DashboardOptions(
            confirmDestructive: !noConfirm, readOnly: readonly, ascii: ascii, color: !noColor, title: "flare run \(file)"))
        if noColor { options.color = false }
        return options
    }

    private static func runHeadless(_ tree: SupervisorHandle, until stopSignal: StopSignalListener) async -> String {
        let observation = tree.observe()
        TreeText.lines(observation.snapshot).forEach(Terminal.output)
        let printer = Task {
            for await event in observation.events { Terminal.output(EventText.line(event)) }
        }
        let reason = await stopSignal.wait(seconds: nil)
        printer.cancel()
        return reason
    }
}
