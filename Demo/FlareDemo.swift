import ArgumentParser
import AshFlare

/// `swift run flare-demo`: a small shop backend whose payments gateway fails now and then,
/// printing the tree's events as it heals.
@main
struct FlareDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-demo",
        abstract: "Run a demo supervision tree and watch it heal.")

    @Option(help: "Stop after this many seconds (default: run until Ctrl-C).")
    var seconds: Double?

    @Option(help: "How often, on average, the payments gateway fails, in seconds.")
    var failEvery: Double = 3

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive (was \(seconds))") }
        if !(failEvery > 0) { throw ValidationError("--fail-every must be positive (was \(failEvery))") }
    }

    func run() async throws {
        let tree = try await SupervisorHandle.start(DemoTree.spec(failEvery: .milliseconds(Int64(failEvery * 1000))))
        let observation = tree.observe()
        print(TreePrinter.render(observation.snapshot))
        print("Watching \(observation.snapshot.root.id)… (Ctrl-C to stop)\n")
        let printer = Task { await EventPrinter.print(observation.events) }
        let reason = await StopSignal.wait(seconds: seconds)
        print("\n\(reason) — shutting the tree down (children stop in reverse order)…")
        await tree.shutdown()
        await printer.value
        print("Stopped cleanly. Live worker tasks: \(tree.liveWorkerTasks).")
    }
}
