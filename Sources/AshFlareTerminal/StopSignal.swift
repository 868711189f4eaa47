import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for Ctrl-C, SIGTERM or the end of a bounded run (`flare-demo`, `flare run`).
public enum StopSignal {
    /// Returns a description of what ended the wait: `SIGINT`, `SIGTERM` or `N s elapsed`.
    public static func wait(seconds: Double?) async -> String {
        await withTaskGroup(of: String.self) { group in
            group.addTask { await signal() }
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
    }

    private static func signal() async -> String {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        var reason = "cancelled"
        for await name in stream {
            reason = name
            break
        }
        sources.forEach { $0.cancel() }
        return reason
    }
}
