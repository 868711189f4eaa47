import ArgumentParser
import AshFlare
import AshFlareTestKit
import Foundation

/// `flare-soak`: a chaos soak of a 1,021-node tree (nine of its children real processes) with
/// concurrent faults and observers, checking the engine's invariants, and after shutdown that no
/// process of the tree is alive and no file descriptor was leaked. Exits non-zero on any violation.
@main
struct FlareSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-soak", abstract: "Chaos-soak a large supervision tree and check its invariants.")

    @Option(help: "How long to inject faults, in seconds.") var seconds: Double = 10
    @Option(help: "Concurrent fault-injecting tasks.") var injectors: Int = 4
    @Option(help: "Concurrent observers that subscribe and unsubscribe.") var observers: Int = 3
    @Option(help: "Allowed RSS growth from warm-up to end, in MiB (not checked under AddressSanitizer).") var memoryBound: Int = 64
    @Option(help: "How long, after the faults stop, every permanent child may take to come back, in seconds.")
    var settleSeconds: Double = 30

    func run() async throws {
        let report = SoakReport()
        let processes = try SoakProcesses()
        defer { processes.remove() }
        try await SoakProcesses.warmUp()
        let descriptorsBefore = SoakProcesses.openDescriptors()
        let tree = try await SupervisorHandle.start(
            SoakTree.spec(processes: try processes.spec()), options: SupervisionOptions(eventBufferSize: 4096))
        // The accountant is the oracle: it must see every event however slow the machine is, so
        // its buffer never drops (the churning observers keep the tree's bounded default).
        let start = tree.observe(bufferSize: .max)
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
                if case .childExited(let path, _, let reason) = event.kind, path.description.hasPrefix("soak/procs/") {
                    report.count("process exits, \(reason)")
                }
                if !warmedUp, ContinuousClock.now - begin > .seconds(seconds / 4) {
                    warmedUp = true
                    memory.warmUpKB = MemoryFigures.read("VmRSS")
                }
            }
            await group.waitForAll()
            FlakyWorker.calm.store(true, ordering: .relaxed)
            processes.calmDown()
            // Let backoffs and restart rounds finish: wait until every permanent child is back
            // (or was stopped by an operator), reading the events up to each snapshot. A slow
            // machine (sanitizers, load) only makes this take longer; a child that stays down
            // for the whole settling time is a violation.
            var final = tree.snapshot()
            let settle = ContinuousClock.now.advanced(by: .seconds(settleSeconds))
            while true {
                while accountant.nextSequence <= final.sequence, let event = await iterator.next() {
                    accountant.apply(event, report: report)
                }
                if permanentChildrenProblems(final, accountant: accountant).isEmpty || ContinuousClock.now >= settle { break }
                try? await Task.sleep(for: .milliseconds(20))
                final = tree.snapshot()
            }
            return (accountant, final)
        }
        if accounted.lagged {
            report.violation("the accountant lagged; restart counts could not be checked (raise its buffer)")
        } else {
            accounted.check(against: finalSnapshot, report: report)
        }
        permanentChildrenProblems(finalSnapshot, accountant: accounted).forEach(report.violation)

        memory.endKB = MemoryFigures.read("VmRSS")
        await tree.shutdown()
        let settle = ContinuousClock.now.advanced(by: .seconds(settleSeconds))
        // Every task and supervisor must be gone before the process ends (the leak checker runs
        // at exit; a supervisor task still returning on a slow machine would count as a leak).
        while tree.liveWorkerTasks > 0 || tree.liveSupervisors > 0, ContinuousClock.now < settle {
            try await Task.sleep(for: .milliseconds(10))
        }
        if tree.liveWorkerTasks != 0 { report.violation("\(tree.liveWorkerTasks) worker tasks alive after shutdown") }
        if tree.liveSupervisors != 0 { report.violation("\(tree.liveSupervisors) supervisors not released after shutdown") }
        if tree.pendingRestartTimers != 0 { report.violation("\(tree.pendingRestartTimers) backoff timers held after shutdown") }
        let orphans = await processes.orphans(within: 5)
        if !orphans.isEmpty { report.violation("\(orphans.count) processes of the tree alive 5 s after shutdown: \(orphans.prefix(10))") }
        // A descriptor closes when the task that owns it returns, which can be a moment after the
        // tree's last event on a slow (sanitized) build: a leak is one still open 5 s later.
        var descriptorsAfter = SoakProcesses.openDescriptors()
        let descriptorDeadline = ContinuousClock.now.advanced(by: .seconds(5))
        while descriptorsAfter.count > descriptorsBefore.count, ContinuousClock.now < descriptorDeadline {
            try await Task.sleep(for: .milliseconds(50))
            descriptorsAfter = SoakProcesses.openDescriptors()
        }
        report.count("file descriptors after shutdown (\(descriptorsBefore.count) before)", by: descriptorsAfter.count)
        if descriptorsAfter.count > descriptorsBefore.count {
            let new = descriptorsAfter.filter { descriptorsBefore[$0.key] != $0.value }.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }
            report.violation("\(descriptorsAfter.count - descriptorsBefore.count) file descriptors more after shutdown than before the tree started: \(new.prefix(10).joined(separator: ", "))")
        }
        memory.peakKB = MemoryFigures.read("VmHWM")
        if MemoryFigures.underAddressSanitizer {
            // ASan keeps freed memory in its quarantine (256 MiB by default), so RSS measures the
            // sanitizer's allocator, not the engine: the bound is checked by the plain soak.
            report.count("RSS bound not checked (AddressSanitizer)")
        } else if memory.warmUpKB > 0, memory.endKB - memory.warmUpKB > memoryBound * 1024 {
            report.violation("RSS grew by \((memory.endKB - memory.warmUpKB) / 1024) MiB after warm-up (bound \(memoryBound) MiB)")
        }
        let elapsed = Double((ContinuousClock.now - begin).components.seconds)
        report.count("nodes at end", by: finalSnapshot.allNodes.count)
        print(report.summary(seconds: min(elapsed, seconds), nodes: nodes, memory: memory))
        fflush(nil)  // the leak checker ends the process without flushing stdio
        if report.violations > 0 { throw ExitCode(1) }
    }

    /// Whether a child's last exit was a stop asked for by an operator: `shutdown` for a task,
    /// `stopped(…)` for a process (how its stop was enforced).
    static func isOperatorStop(_ reason: ChildExitReason?) -> Bool {
        switch reason {
        case .shutdown, .stopped: true
        default: false
        }
    }

    /// Every permanent child of a running supervisor is running or backing off, unless an
    /// operator stopped it (last exit `shutdown`, or its pending restart was cancelled) or it
    /// was abandoned.
    func permanentChildrenProblems(_ snapshot: TreeSnapshot, accountant: Accountant) -> [String] {
        var problems: [String] = []
        for node in snapshot.allNodes where node.supervisor != nil && node.state == .running {
            for child in node.children where child.restartPolicy == .permanent {
                switch child.state {
                case .running, .backingOff: continue
                case .stopped where Self.isOperatorStop(child.lastExit): continue
                case .stopped where accountant.restartCancelled.contains(child.path): continue
                case .abandoned: continue
                default: problems.append("permanent child \(child.path) is \(child.state) (last exit \(child.lastExit.map { "\($0)" } ?? "none"))")
                }
            }
        }
        return problems
    }
}
