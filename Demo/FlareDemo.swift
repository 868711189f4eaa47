import ArgumentParser
import AshFlare
import AshFlareDashboard
import AshFlarePrometheus
import AshFlareRemote
import AshFlareServiceLifecycle
import AshFlareTerminal
import Logging
import Prometheus
import ServiceLifecycle
import AshFlareRecording

/// `swift run flare-demo`: a small shop backend in the live dashboard; press `x` on a child to
/// crash it and watch the tree heal.
@main
struct FlareDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-demo",
        abstract: "Run a demo supervision tree in the live dashboard and watch it heal.",
        discussion: """
            Keys: arrows move, x kills the selected child, r restarts, t terminates, d deletes, \
            a adds a child from a template, s shuts a subtree down, c turns the chaos monkey on or off, \
            / filters, ? lists every key, q quits.
            Without a terminal on stdout (or with --plain) the tree's events are printed as text instead.
            With --serve, `flare top --connect URL` in another terminal attaches to the same tree.
            With --metrics tcp://127.0.0.1:9464, Prometheus can scrape http://127.0.0.1:9464/metrics.
            """)

    @Option(help: "Stop after this many seconds (default: run until q, Ctrl-C or SIGTERM).")
    var seconds: Double?

    @Option(help: "How often, on average, the payments gateway fails, in seconds.")
    var failEvery: Double = 3

    @Flag(help: "Print one frame of the dashboard as plain text and exit.")
    var once = false

    @Option(help: "Frame width for --once (default: the terminal's, else 100).")
    var width: Int?

    @Option(help: "Frame height for --once (default: the terminal's, else 32).")
    var height: Int?

    @Flag(help: "Print events as plain text instead of the dashboard.")
    var plain = false

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "Do not use colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Do not ask before destructive keys (kill, terminate, delete, shut down).")
    var noConfirm = false

    @Flag(help: "Watch only: disable every key that changes the tree.")
    var readonly = false

    @Option(help: "Redraw interval in seconds (0.25 to 5).")
    var refresh: Double = 1

    @Flag(help: "Do not take the mouse (clicks and the wheel then select and scroll as the terminal does).")
    var noMouse = false

    @Option(help: ArgumentHelp("The dashboard config file (theme, keys; default: $XDG_CONFIG_HOME/ashflare/dashboard.toml, else ~/.config/ashflare/dashboard.toml).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Start the chaos monkey: kill a random worker this many times a second (c toggles it).", valueName: "rate"))
    var chaos: Double?

    @Option(help: ArgumentHelp("Serve the tree on unix:///PATH, tls://HOST:PORT (with --tls-cert/--tls-key) or tcp://HOST:PORT (with --insecure-plaintext); repeatable.", valueName: "url"))
    var serve: [String] = []

    @Option(help: ArgumentHelp("The token TCP clients must present (default: $ASHFLARE_TOKEN).", valueName: "token"))
    var token: String?

    @OptionGroup var tls: DemoTLSOptions

    @Flag(help: "No dashboard: serve the tree (needs --serve) until Ctrl-C, SIGTERM or --seconds.")
    var headless = false

    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics (tcp://HOST:PORT; port 0 picks one).", valueName: "url"))
    var metrics: String?

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive (was \(seconds))") }
        if !(failEvery > 0) { throw ValidationError("--fail-every must be positive (was \(failEvery))") }
        if !(0.25...5).contains(refresh) { throw ValidationError("--refresh must be within 0.25...5 (was \(refresh))") }
        if let width, width < 1 { throw ValidationError("--width must be positive (was \(width))") }
        if let height, height < 1 { throw ValidationError("--height must be positive (was \(height))") }
        if let chaos, !(0.01...100).contains(chaos) { throw ValidationError("--chaos must be within 0.01...100 kills a second (was \(chaos))") }
        if headless && serve.isEmpty { throw ValidationError("--headless needs --serve (otherwise nothing shows the tree)") }
        if headless && (once || plain) { throw ValidationError("--headless cannot be combined with --once or --plain") }
        do { _ = try DemoServing.endpoints(serve, token: serveToken, tls: tls) } catch { throw ValidationError("\(error)") }
        if let metrics {
            do throws(MetricsAddress.Error) { _ = try MetricsAddress(url: metrics) } catch { throw ValidationError("--metrics: \(error.message)") }
        }
    }

    /// `--token`, else `ASHFLARE_TOKEN`.
    var serveToken: String? { token ?? Dashboard.environment["ASHFLARE_TOKEN"] }

    var options: DashboardOptions {
        var options = DashboardOptions.fromEnvironment(Dashboard.environment, base: DashboardOptions(
            confirmDestructive: !noConfirm, readOnly: readonly, ascii: ascii, color: !noColor,
            refreshInterval: .milliseconds(Int64(refresh * 1000)), title: "AshFlare demo",
            customKeys: [CustomKey("c", label: "chaos", help: "chaos monkey on / off (kills random workers)")]))
        if noColor { options.color = false }
        return options
    }

    func run() async throws {
        var options = self.options
        options.mouse = !noMouse
        try DashboardConfig.load(explicitPath: config, environment: Dashboard.environment).apply(to: &options)
        try options.validate()
        let clock = ContinuousClock()
        let registry = PrometheusCollectorRegistry()
        let treeOptions = SupervisionOptions(metricsFactory: metrics == nil ? nil : PrometheusMetricsFactory(registry: registry))
        // One ServiceGroup: metrics, server, tree, then what runs in the foreground. When the
        // foreground ends the group stops the rest in reverse order: the tree (remote clients see
        // every shutdown event), then the server, then the metrics endpoint.
        let tree = SupervisionTreeService(
            DemoTree.spec(failEvery: .milliseconds(Int64(failEvery * 1000)), clock: clock), clock: clock, options: treeOptions)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let metricsService = try metrics.map { MetricsEndpointService(serving: registry, at: try MetricsAddress(url: $0)) }
        if let metricsService { services.append(.init(service: metricsService)) }
        let serving = serve.isEmpty ? nil : try DemoServing(
            endpoints: DemoServing.endpoints(serve, token: serveToken, tls: tls), token: serveToken, readOnly: readonly, tls: tls,
            reportReloads: headless) { try await tree.handle() }
        if let serving { services.append(.init(service: serving.service)) }
        services.append(.init(service: tree, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        // Caught from before the socket exists: a script may signal as soon as it sees it.
        let stopSignal = headless ? await StopSignal.listen() : nil
        let foreground = ForegroundService { [self, options] in
            let handle = try await tree.handle()
            if let metricsService {
                let address = try await metricsService.endpoint().address
                Terminal.printError("flare-demo: Prometheus metrics at http://\(address.host):\(address.port)/metrics")
            }
            let monkey = ChaosMonkey(tree: handle, rate: chaos ?? ChaosMonkey.defaultRate, clock: clock)
            if chaos != nil { monkey.start() }
            defer { monkey.stop() }
            let bound = try await serving?.bind()
            defer { bound?.reloading?.cancel() }
            var options = options
            options.badge = monkey.badge
            let reason = try await runForeground(handle, options: options, announcement: bound?.announcement, stopSignal: stopSignal) { _ in
                monkey.toggle()
            }
            if !once { print("flare-demo: \(reason); shutting the tree down (children stop in reverse order)…") }
        }
        services.append(foreground.configuration)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, logger: Logger(label: "flare-demo", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await group.run()
        if once { return }
        let handle = try await tree.handle()
        print("flare-demo: stopped cleanly. Live worker tasks: \(handle.liveWorkerTasks), abandoned: \(handle.abandonedWorkerTasks).")
    }

    /// What runs in the foreground until it ends the demo; returns why it ended.
    private func runForeground(
        _ tree: SupervisorHandle, options: DashboardOptions, announcement: String?, stopSignal: StopSignalListener?,
        onCustomKey: @escaping @Sendable (Character) async -> CustomKeyOutcome?
    ) async throws -> String {
        let node = DashboardNode(name: "shop", control: tree)
        if once {
            let size = Dashboard.terminalSize()
            print(await HeadlessFrame.render(nodes: [node], options: options, width: width ?? size.width, height: height ?? size.height))
            return "one frame printed"
        }
        if let stopSignal {
            print(announcement ?? "")
            print("flare-demo: running headless (Ctrl-C or SIGTERM stops it)")
            return await stopSignal.wait(seconds: seconds)
        }
        if plain || !Terminal.isInteractive {
            if let announcement { print(announcement) }
            return await runPlain(tree)
        }
        do {
            return try await runDashboard(node, options: options, onCustomKey: onCustomKey)
        } catch let error as DashboardError {
            Terminal.printError("flare-demo: \(error.message); printing events instead")
            return await runPlain(tree)
        }
    }

    private func runDashboard(
        _ node: DashboardNode, options: DashboardOptions, onCustomKey: @escaping @Sendable (Character) async -> CustomKeyOutcome?
    ) async throws -> String {
        let dashboard = Task { try await Dashboard.run(nodes: [node], options: options, onCustomKey: onCustomKey, recorder: FileRecorder(source: "flare-demo (in-process)")) }
        if let seconds {
            let timer = Task {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                dashboard.cancel()
            }
            defer { timer.cancel() }
            let reason = try await dashboard.value
            return reason == "cancelled" ? "\(seconds) s elapsed" : reason
        }
        return try await dashboard.value
    }

    private func runPlain(_ tree: SupervisorHandle) async -> String {
        let observation = tree.observe()
        print(TreePrinter.render(observation.snapshot))
        print("Watching \(observation.snapshot.root.id)… (Ctrl-C to stop)\n")
        let printer = Task { await EventPrinter.print(observation.events) }
        let reason = await StopSignal.wait(seconds: seconds)
        printer.cancel()
        return reason
    }
}

/// Renders a snapshot as an indented tree (plain mode).
enum TreePrinter {
    static func render(_ snapshot: TreeSnapshot) -> String {
        var lines: [String] = []
        func visit(_ node: NodeSnapshot, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let kind = node.supervisor.map { "supervisor, \($0.strategy)" } ?? "worker, \(node.restartPolicy)"
            lines.append("\(indent)\(node.id) [\(kind)] \(node.state)")
            node.children.forEach { visit($0, depth: depth + 1) }
        }
        visit(snapshot.root, depth: 0)
        return lines.joined(separator: "\n")
    }
}
