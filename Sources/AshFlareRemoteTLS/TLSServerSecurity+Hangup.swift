import AshFlareRemote
import UnixSignals

extension TLSServerSecurity {
    /// Reloads the certificate files on every SIGHUP until the task is cancelled, reporting each
    /// outcome: the load count, or the error (the previous certificate then stays in use).
    ///
    /// This is how `flare run --serve` and `flare-demo --serve` pick up a renewed certificate:
    /// replace the files, then `kill -HUP PID`. The signal is trapped (no longer terminates the
    /// process) once this returns.
    /// - Parameter report: Called after each reload attempt, on the task.
    public func reloadOnHangup(report: @escaping @Sendable (Result<Int, RemoteError>) -> Void) async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        return Task {
            for await _ in signals {
                do throws(RemoteError) {
                    report(.success(try reload()))
                } catch {
                    report(.failure(error))
                }
            }
        }
    }
}
