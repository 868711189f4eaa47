import AshFlare
import AshFlareProcess
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// AshFlare's side of scripts/bench-vs-process-supervisors.sh: a one-for-one supervisor of COUNT
/// process children, each running PROGRAM (no arguments, the inherited environment), that stops
/// its tree on SIGTERM or SIGINT (reverse order, each child SIGTERM then SIGKILL after 5 s, like
/// the peers' defaults) and exits. The script times everything from outside, as it does for
/// s6, runit and supervisord.
///
///     flare-procbench PROGRAM COUNT [--backoff]
///
/// `--backoff` gives each child AshFlare's default backoff (100 ms doubling to 30 s); without it
/// a crashed child is restarted at once. The intensity is high enough never to escalate.
@main
struct FlareProcBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let flags = arguments.filter { $0.hasPrefix("--") }
        let positional = arguments.filter { !$0.hasPrefix("--") }
        guard positional.count == 2, let count = Int(positional[1]), count >= 0,
              flags.allSatisfy({ $0 == "--backoff" }) else {
            print("usage: flare-procbench PROGRAM COUNT [--backoff]")
            exit(2)
        }
        let backoff: Backoff = flags.contains("--backoff") ? .default : .none
        let program = ProcessSpec(positional[0])
        let children = try (0..<count).map { index in
            try ChildSpec.process("p\(index)", program, shutdown: .timeout(.seconds(5)), backoff: backoff)
        }
        let intensity = RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1))
        let (stop, continuation) = AsyncStream<Void>.makeStream()
        let sources = stopSignalSources(continuation)
        let tree = try await SupervisorHandle.start(SupervisorSpec("procbench", intensity: intensity, children: children))
        var signals = stop.makeAsyncIterator()
        _ = await signals.next()
        await tree.shutdown()
        sources.forEach { $0.cancel() }
    }
}

/// Dispatch sources that yield to `continuation` at each SIGTERM or SIGINT. Their dispositions
/// become "ignore" so that Dispatch sees them; process children get the default back
/// (swift-subprocess resets every signal in the child).
func stopSignalSources(_ continuation: AsyncStream<Void>.Continuation) -> [any DispatchSourceSignal] {
    [SIGTERM, SIGINT].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        return source
    }
}
