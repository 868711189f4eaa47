import AshFlare

/// The worker of a process child: ``initialize()`` spawns the process and waits for its
/// ``Readiness``; ``run()`` waits for it to end and turns its termination into the exit reason.
///
/// The process lives in a task of its own (swift-subprocess scopes a process to one call), which
/// this worker's task forwards cancellation to: a cancelled process child is killed.
struct ProcessWorker: Worker {
    let spec: ProcessSpec
    let context: ChildContext
    private var running: Task<ChildExitReason, Never>?

    init(spec: ProcessSpec, context: ChildContext) {
        self.spec = spec
        self.context = context
    }

    mutating func initialize() async throws {
        let executable = try spec.validate()
        let ready = ReadySignal()
        let run = ProcessRun(spec: spec, executable: executable, context: context, ready: ready)
        let task = Task { await run.run() }
        running = task
        let timer = readinessTimer(ready)
        defer { timer?.cancel() }
        do {
            try await withTaskCancellationHandler { try await ready.wait() } onCancel: { task.cancel() }
        } catch {
            task.cancel()
            _ = await task.value
            running = nil
            throw error
        }
    }

    func run() async throws {
        guard let running else { return }
        let reason = await withTaskCancellationHandler { await running.value } onCancel: { running.cancel() }
        if reason != .normal { throw WorkerExit(reason) }
    }

    /// Fails `ready` once the readiness timeout has passed on the tree's clock.
    private func readinessTimer(_ ready: ReadySignal) -> Task<Void, Never>? {
        guard spec.readiness.condition != .spawned else { return nil }
        let readiness = spec.readiness
        let path = context.path
        let clock = context.clock
        return Task {
            do {
                if let clock {
                    try await clock.sleep(clock.now() + readiness.timeout)
                } else {
                    try await ContinuousClock().sleep(for: readiness.timeout)
                }
            } catch {
                return
            }
            ready.fail(ProcessChildError(.readinessTimeout, "'\(path)' was not ready (\(readiness))"))
        }
    }
}
