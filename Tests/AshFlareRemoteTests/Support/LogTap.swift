import AshFlare
import AshFlareTestKit

/// Holds the log of a child so a test can write into it as the child would.
final class LogTap: Sendable {
    private let log = Locked<ChildLog?>(nil)

    /// Called by the child's factory with its context's log (the same object every incarnation).
    func attach(_ log: ChildLog?) { self.log.withLock { $0 = log } }

    /// Writes `line` into the child's log.
    func write(_ line: String, stream: LogStream = .stdout) {
        log.withLock { $0 }?.append(line, stream: stream)
    }
}

extension SupervisorSpec {
    /// `shop/talker` (a worker whose log the tap writes into) and the supervisor `shop/db`.
    static func talking(_ tap: LogTap) -> SupervisorSpec {
        SupervisorSpec("shop") {
            ChildSpec.worker("talker", backoff: .none) { context in
                tap.attach(context.log)
                return IdleWorker()
            }
            SupervisorSpec("db") { ChildSpec.worker("conn", backoff: .none) { IdleWorker() } }
        }
    }
}
