#if canImport(Glibc)
import Glibc
#endif

/// Runs a closure on a dedicated OS thread, so every curses call happens on one thread that
/// never hops (Swift's cooperative pool may move a task between threads at each `await`).
enum TerminalThread {
    private final class Job: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread and returns its result once it finished.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let job = Job { continuation.resume(returning: body()) }
            var thread = pthread_t()
            let retained = Unmanaged.passRetained(job)
            let started = pthread_create(&thread, nil, { argument in
                let job = Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue()
                job.body()
                return nil
            }, retained.toOpaque())
            if started == 0 {
                pthread_detach(thread)
            } else {
                // No thread could be made: run here rather than not at all.
                retained.release()
                job.body()
            }
        }
    }
}
