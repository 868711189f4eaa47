import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for Ctrl-C, SIGTERM or the end of a bounded run (`flare-demo`, `flare run`).
public enum StopSignal {
    /// Returns a description of what ended the wait: `SIGINT`, `SIGTERM` or `N s elapsed`.
    public static func wait(seconds: Double?) async -> String { await listen().wait(seconds: seconds) }

    /// Catches SIGINT and SIGTERM from now on. Call it before announcing anything a signal may
    /// follow (a bound socket): a signal that arrives before it is lost (a background job's
    /// SIGINT is ignored) or kills the process.
    public static func listen() -> StopSignalListener {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        return StopSignalListener(stream: stream, sources: sources)
    }
}

/// SIGINT and SIGTERM caught since ``StopSignal/listen()``, waited for once.
public struct StopSignalListener {
    let stream: AsyncStream<String>
    let sources: [any DispatchSourceSignal]

    /// Returns what ended the wait: `SIGINT`, `SIGTERM` (also one caught before the call) or
    /// `N s elapsed`; then stops catching.
    public func wait(seconds: Double?) async -> String {
        let stream = self.stream
        let reason = await withTaskGroup(of: String.self) { group in
            group.addTask {
                for await name in stream { return name }
                return "cancelled"
            }
            if let seconds {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    return "\(seconds) s elapsed"
                }
            }
            let reason = await group.next() ?? "stopped"
            group.cancelAll()
            return reason
        }
        sources.forEach { $0.cancel() }
        return reason
    }
}
