import AshFlare
import AshFlareProcess
import AshFlareTestKit
import Testing

@Suite("A process child's exit becomes its exit reason", .timeLimit(.minutes(2)))
struct ProcessExitTests {
    @Test("exit status 0 is a normal exit, so a transient child stays stopped")
    func zeroIsNormal() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("ok", "exit 0", restart: .transient),
        ]))
        #expect(await tree.nextExit(of: "root/ok") == .normal)
        let info = try #require(try tree.tree.whichChildren(of: "root").first)
        #expect(info.state == .stopped)
        await tree.tree.shutdown()
    }

    @Test("a non-zero exit status is an abnormal exit that carries the status")
    func nonZeroIsExitStatus() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("bad", "exit 3", restart: .transient, backoff: .none),
        ]))
        let reason = await tree.nextExit(of: "root/bad")
        #expect(reason == .exitStatus(3))
        #expect(reason?.isAbnormal == true)
        #expect(reason?.description == "exit status 3")
        #expect(await tree.events.next(where: { $0.isStarted("root/bad", incarnation: 2) }) != nil)
        await tree.tree.shutdown()
    }

    @Test("a process that segfaults itself exits with signal SIGSEGV and is restarted")
    func segfaultIsSignal() async throws {
        var tree = try await ProcessTree.start(SupervisorSpec("root", children: [
            try shell("crashy", "kill -SEGV $$", restart: .transient, backoff: .none),
        ]))
        let reason = await tree.nextExit(of: "root/crashy")
        #expect(reason == .signal(11))
        #expect(reason?.description == "signal SIGSEGV")
        #expect(await tree.events.next(where: { $0.isStarted("root/crashy", incarnation: 2) }) != nil)
        await tree.tree.shutdown()
    }
}
