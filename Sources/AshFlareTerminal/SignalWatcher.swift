import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a call, instead of killing the process with the terminal in
/// curses mode. ``stop()`` restores the default dispositions.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private static let signals: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]

    /// Calls `handler` with the signal's name when one arrives.
    init(_ handler: @escaping @Sendable (String) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops watching; the signals kill the process again.
    func stop() {
        sources.forEach { $0.cancel() }
        for (number, _) in Self.signals { signal(number, SIG_DFL) }
    }
}
