@testable import AshFlare
import AshFlareTestKit
import Logging
import Testing

@Suite("Per-child logs", .timeLimit(.minutes(1)))
struct ChildLogTests {
    /// A tree with one scripted worker `root/db` that writes `incarnation N` when it starts.
    func treeWithLoggingWorker(
        _ script: WorkerScript, clock: ManualClock = ManualClock(), limits: LogLimits = LogLimits()
    ) async throws -> SupervisorHandle {
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("db", backoff: .none) { context in
                context.log?.append("incarnation \(context.incarnation)", stream: .stdout)
                return script.makeWorker()
            }
            SupervisorSpec("nested") { ChildSpec.worker("idle") { IdleWorker() } }
        }
        return try await SupervisorHandle.start(spec, clock: clock, options: SupervisionOptions(logLimits: limits))
    }

    @Test("the previous incarnation's last lines are still there after a crash and restart")
    func previousIncarnation() async throws {
        let script = WorkerScript()
        let tree = try await treeWithLoggingWorker(script)
        var events = tree.events().makeAsyncIterator()
        let log = try tree.core.log(of: "root/db")
        log.append("about to crash", stream: .stderr)
        script.crash("boom")
        _ = await events.next(where: { $0.isStarted("root/db", incarnation: 2) })
        let previous = try tree.logTail(of: "root/db", scope: .previous)
        #expect(previous.lines.map(\.text) == ["incarnation 1", "about to crash"])
        #expect(previous.lines.map(\.incarnation) == [1, 1])
        #expect(previous.lines.map(\.stream) == [.stdout, .stderr])
        #expect(previous.incarnation == 2)
        #expect(try tree.logTail(of: "root/db", scope: .current).lines.map(\.text) == ["incarnation 2"])
        #expect(try tree.logTail(of: "root/db", scope: .all).lines.map(\.sequence) == [1, 2, 3])
        await tree.shutdown()
    }

    @Test("lines are stamped with the tree's clock")
    func treeClock() async throws {
        let clock = ManualClock()
        let tree = try await treeWithLoggingWorker(WorkerScript(), clock: clock)
        clock.advance(by: .seconds(42))
        try tree.core.log(of: "root/db").append("later", stream: .stdout)
        let times = try tree.logTail(of: "root/db", scope: .all).lines.map(\.time)
        #expect(times == [.zero, .seconds(42)])
        await tree.shutdown()
    }

    @Test("a worker's routed Logger writes its messages, at info and above, into its node's log")
    func routedLogger() async throws {
        let spec = SupervisorSpec("root") {
            ChildSpec.task("job", restart: .transient) { context in
                let logger = context.logger
                logger.debug("not kept")
                logger.info("charging card", metadata: ["order": "42"])
                logger.error("gateway timed out")
            }
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        var follower = try tree.followLog(of: "root/job", backlog: 10).makeAsyncIterator()
        var lines: [LogLine] = []
        while lines.count < 2, case .line(let line)? = await follower.next() { lines.append(line) }
        #expect(try tree.logTail(of: "root/job").lines == lines)
        #expect(lines.map(\.text) == ["info: charging card order=42", "error: gateway timed out"])
        #expect(lines.allSatisfy { $0.stream == .logger })
        await tree.shutdown()
    }

    @Test("a follower sees every line in order across a restart, and ends when the child is deleted")
    func followAcrossRestart() async throws {
        let script = WorkerScript()
        let tree = try await treeWithLoggingWorker(script)
        var events = tree.events().makeAsyncIterator()
        var follower = try tree.followLog(of: "root/db", backlog: 10).makeAsyncIterator()
        #expect(await follower.next() == .line(LogLine(sequence: 1, incarnation: 1, time: .zero, stream: .stdout, text: "incarnation 1")))
        script.crash("boom")
        _ = await events.next(where: { $0.isStarted("root/db", incarnation: 2) })
        guard case .line(let second) = await follower.next() else { Issue.record("no line"); return }
        #expect(second.sequence == 2 && second.text == "incarnation 2" && second.incarnation == 2)
        try await tree.terminate("root/db")
        try await tree.delete("root/db")
        #expect(await follower.next() == nil)
        #expect(throws: SupervisorError.self) { try tree.logTail(of: "root/db") }
        await tree.shutdown()
    }

    @Test("a follower that fell behind learns how many lines it missed; the writer never waited")
    func lagging() async throws {
        let log = ChildLog(limits: LogLimits(maxLines: 10), clock: ElapsedClock(ManualClock()))
        var follower = log.follow().makeAsyncIterator()
        for index in 1...100 { log.append("line \(index)", stream: .stdout) }
        #expect(await follower.next() == .lagged(missed: 90))
        guard case .line(let next) = await follower.next() else { Issue.record("no line"); return }
        #expect(next.sequence == 91)
        let tail = log.tail(.all)
        #expect(tail.missedByFollowers == 90)
        #expect(tail.evictedLines == 90)
        #expect(tail.nextSequence == 101)
    }

    @Test("a waiting follower wakes for the next line, and a cancelled one stops waiting")
    func waitingFollower() async throws {
        let log = ChildLog()
        let reader = Task { () -> [ChildLogEntry] in
            var entries: [ChildLogEntry] = []
            for await entry in log.follow() {
                entries.append(entry)
                if entries.count == 2 { break }
            }
            return entries
        }
        while log.waitingFollowers == 0 { await Task.yield() }
        log.append("one", stream: .stdout)
        log.append("two", stream: .stdout)
        #expect(await reader.value.count == 2)

        let cancelled = Task { () -> Int in
            var count = 0
            for await _ in log.follow() { count += 1 }
            return count
        }
        while log.waitingFollowers == 0 { await Task.yield() }
        cancelled.cancel()
        #expect(await cancelled.value == 0)
        #expect(log.waitingFollowers == 0)
    }

    @Test("an unknown path, a supervisor and the root each get a clear, typed error")
    func badPaths() async throws {
        let tree = try await treeWithLoggingWorker(WorkerScript())
        #expect(throws: SupervisorError(.childNotFound, "no child at path 'root/nope'")) { try tree.logTail(of: "root/nope") }
        #expect(throws: SupervisorError.self) { try tree.followLog(of: "elsewhere/db") }
        let supervisor = #expect(throws: SupervisorError.self) { try tree.logTail(of: "root/nested") }
        #expect(supervisor?.code == .notAWorker)
        #expect(supervisor?.message.contains("'root/nested' is a supervisor") == true)
        let root = #expect(throws: SupervisorError.self) { try tree.followLog(of: "root") }
        #expect(root?.code == .notAWorker)
        await tree.shutdown()
    }

    @Test("a transport's stream that skipped lines reports the gap as a lag before the next line")
    func transportGap() async {
        let (stream, continuation) = AsyncStream.makeStream(of: ChildLogEntry.self)
        func line(_ sequence: UInt64) -> ChildLogEntry {
            .line(LogLine(sequence: sequence, incarnation: 1, time: .zero, stream: .stdout, text: "\(sequence)"))
        }
        for entry in [line(1), line(2), line(5), .lagged(missed: 3), line(9), line(10)] { continuation.yield(entry) }
        continuation.finish()
        var received: [ChildLogEntry] = []
        for await entry in ChildLogLines(stream) { received.append(entry) }
        #expect(received == [line(1), line(2), .lagged(missed: 2), line(5), .lagged(missed: 3), line(9), line(10)])
    }

    @Test("the tree's shutdown ends every follower")
    func shutdownEndsFollowers() async throws {
        let tree = try await treeWithLoggingWorker(WorkerScript())
        var follower = try tree.followLog(of: "root/nested/idle").makeAsyncIterator()
        await tree.shutdown()
        #expect(await follower.next() == nil)
    }
}
