import ArgumentParser
import AshFlare
import AshFlareTestKit
import Foundation

/// `flare-soak`: a chaos soak of a 1,011-node tree with concurrent faults and observers,
/// checking the engine's invariants. Exits non-zero on any violation.
@main
struct FlareSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-soak", abstract: "Chaos-soak a large supervision tree and check its invariants.")

    @Option(help: "How long to inject faults, in seconds.") var seconds: Double = 10
    @Option(help: "Concurrent fault-injecting tasks.") var injectors: Int = 4
    @Option(help: "Concurrent observers that subscribe and unsubscribe.") var observers: Int = 3
    @Option(help: "Allowed RSS growth from warm-up to end, in MiB.") var memoryBound: Int = 64

    func run() async throws {
        let report = SoakReport()
        let tree = try await SupervisorHandle.start(SoakTree.spec(), options: SupervisionOptions(eventBufferSize: 4096))
        let start = tree.observe()
        let nodes = start.snapshot.allNodes.count
        var accountant = Accountant(snapshot: start.snapshot)
        let accountantEvents = start.events
        let begin = ContinuousClock.now
        let deadline = begin.advanced(by: .milliseconds(Int64(seconds * 1000)))
        var memory = MemoryFigures()

        let (accounted, finalSnapshot): (Accountant, TreeSnapshot) = await withTaskGroup(of: Void.self) { group in
            for _ in 0..<injectors { group.addTask { await FaultInjector(tree: tree).run(until: deadline, report: report) } }
            for _ in 0..<observers { group.addTask { await ChurningObserver(tree: tree).run(until: deadline, report: report) } }
            var iterator = accountantEvents.makeAsyncIterator()
            var warmedUp = false
            while ContinuousClock.now < deadline, let event = await iterator.next() {
                accountant.apply(event, report: report)
                if !warmedUp, ContinuousClock.now - begin > .seconds(seconds / 4) {
                    warmedUp = true
                    memory.warmUpKB = MemoryFigures.read("VmRSS")
                }
            }
            await group.waitForAll()
            // Let backoffs and restart rounds finish: wait until every permanent child is back.
            var final = tree.observe().snapshot
            let settle = ContinuousClock.now.advanced(by: .seconds(5))
            while !permanentChildrenProblems(final).isEmpty, ContinuousClock.now < settle {
                try? await Task.sleep(for: .milliseconds(20))
                final = tree.observe().snapshot
            }
            while accountant.nextSequence <= final.sequence, let event = await iterator.next() {
                accountant.apply(event, report: report)
            }
            return (accountant, final)
        }
        if accounted.lagged {
            report.violation("the accountant lagged; restart counts could not be checked (raise its buffer)")
        } else {
            accounted.check(against: finalSnapshot, report: report)
        }
        checkPermanentChildren(finalSnapshot, report: report)

        memory.endKB = MemoryFigures.read("VmRSS")
        await tree.shutdown()
        let settle = ContinuousClock.now.advanced(by: .seconds(5))
        while tree.liveWorkerTasks > 0, ContinuousClock.now < settle { try await Task.sleep(for: .milliseconds(10)) }
        if tree.liveWorkerTasks != 0 { report.violation("\(tree.liveWorkerTasks) worker tasks alive after shutdown") }
        if tree.pendingRestartTimers != 0 { report.violation("\(tree.pendingRestartTimers) backoff timers held after shutdown") }
        memory.peakKB = MemoryFigures.read("VmHWM")
        if memory.warmUpKB > 0, memory.endKB - memory.warmUpKB > memoryBound * 1024 {
            report.violation("RSS grew by \((memory.endKB - memory.warmUpKB) / 1024) MiB after warm-up (bound \(memoryBound) MiB)")
        }
        let elapsed = Double((ContinuousClock.now - begin).components.seconds)
        report.count("nodes at end", by: finalSnapshot.allNodes.count)
        print(report.summary(seconds: min(elapsed, seconds), nodes: nodes, memory: memory))
        if report.violations > 0 { throw ExitCode(1) }
    }

    /// Every permanent child of a running supervisor is running or backing off, unless an
    /// operator stopped it (last exit `shutdown`) or it was abandoned.
    func checkPermanentChildren(_ snapshot: TreeSnapshot, report: SoakReport) {
        permanentChildrenProblems(snapshot).forEach(report.violation)
    }

    func permanentChildrenProblems(_ snapshot: TreeSnapshot) -> [String] {
        var problems: [String] = []
        for node in snapshot.allNodes where node.supervisor != nil && node.state == .running {
            for child in node.children where child.restartPolicy == .permanent {
                switch child.state {
                case .running, .backingOff: continue
                case .stopped where child.lastExit == .shutdown: continue
                case .abandoned: continue
                default: problems.append("permanent child \(child.path) is \(child.state) (last exit \(child.lastExit.map { "\($0)" } ?? "none"))")
                }
            }
        }
        return problems
    }
}
