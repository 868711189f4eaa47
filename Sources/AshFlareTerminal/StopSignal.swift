import UnixSignals

/// Waits for Ctrl-C, SIGTERM or the end of a bounded run (`flare-demo`, `flare run`,
/// `flare record`), with swift-service-lifecycle's `UnixSignalsSequence`.
public enum StopSignal {
    /// Returns a description of what ended the wait: `SIGINT`, `SIGTERM` or `N s elapsed`.
    public static func wait(seconds: Double?) async -> String { await listen().wait(seconds: seconds) }

    /// Catches SIGINT and SIGTERM from now on. Call it before announcing anything a signal may
    /// follow (a bound socket): a signal that arrives before it is lost (a background job's
    /// SIGINT is ignored) or kills the process.
    public static func listen() async -> StopSignalListener {
        StopSignalListener(signals: await UnixSignalsSequence(trapping: .sigint, .sigterm))
    }
}

/// SIGINT and SIGTERM caught since ``StopSignal/listen()``, waited for once.
public struct StopSignalListener: Sendable {
    let signals: UnixSignalsSequence

    /// Returns what ended the wait: `SIGINT`, `SIGTERM` (also one caught before the call),
    /// `N s elapsed`, or `cancelled` when the calling task is cancelled.
    public func wait(seconds: Double?) async -> String {
        let signals = self.signals
        return await withTaskGroup(of: String.self) { group in
            group.addTask {
                for await signal in signals { return signal == .sigint ? "SIGINT" : "SIGTERM" }
                return "cancelled"
            }
            if let seconds {
                group.addTask {
                    do {
                        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                        return "\(seconds) s elapsed"
                    } catch {
                        return "cancelled"
                    }
                }
            }
            let reason = await group.next() ?? "stopped"
            group.cancelAll()
            return reason
        }
    }
}
