@testable import AshFlare
import Testing

/// The supervisor's mailbox: one receiver at a time, the loop or a sender that found it idle,
/// and messages handled in the order they were posted either way.
@Suite("Mailbox: the loop or an idle-time sender receives, in posting order", .timeLimit(.minutes(1)))
struct MailboxTests {
    /// Parks a receiver in `next()` and returns once it waits (a post with `handleHere` can only
    /// be handled by its sender while the loop waits).
    private func parkedLoop(_ mailbox: Mailbox<Int>) async -> Task<[Int], Never> {
        let loop = Task {
            var received: [Int] = []
            while let message = await mailbox.next() { received.append(message) }
            return received
        }
        await untilLoopWaits(mailbox)
        return loop
    }

    /// What the loop received, once it has everything queued: closes the mailbox and drops the
    /// probes.
    private func received(by loop: Task<[Int], Never>, from mailbox: Mailbox<Int>) async -> [Int] {
        await untilLoopWaits(mailbox)
        _ = mailbox.close()
        return await loop.value.filter { $0 >= 0 }
    }

    /// Returns once the loop has received everything queued and waits: a post offering to be
    /// handled here is then accepted (the probes are negative, and the loop ignores them).
    private func untilLoopWaits(_ mailbox: Mailbox<Int>) async {
        while !Task.isCancelled, mailbox.post(-1, handleHere: true) != .handleHere { await Task.yield() }
        #expect(mailbox.nextHere() == nil)
    }

    @Test("a sender may handle its message only while the loop waits; otherwise it is queued for the loop")
    func handleHereOnlyWhenIdle() async {
        let mailbox = Mailbox<Int>()
        #expect(mailbox.post(1, handleHere: true) == .queued, "no loop is waiting yet")
        let loop = await parkedLoop(mailbox)
        #expect(mailbox.post(2, handleHere: true) == .handleHere)
        // While this sender handles, every other post is queued, even one offering to handle.
        #expect(mailbox.post(3, handleHere: true) == .queued)
        #expect(mailbox.post(4) == .queued)
        #expect(mailbox.nextHere() == 3)
        #expect(mailbox.nextHere() == 4)
        #expect(mailbox.nextHere() == nil, "nothing left: the loop receives again")
        #expect(mailbox.post(5) == .queued)
        #expect(await received(by: loop, from: mailbox) == [1, 5], "the loop got what was posted while nobody else handled messages")
    }

    @Test("a message handed back reaches the loop before what is still queued")
    func handBack() async {
        let mailbox = Mailbox<Int>()
        let loop = await parkedLoop(mailbox)
        #expect(mailbox.post(10, handleHere: true) == .handleHere)
        #expect(mailbox.post(11) == .queued)
        mailbox.handBack(99)
        #expect(mailbox.post(12) == .queued)
        #expect(await received(by: loop, from: mailbox) == [99, 11, 12])
    }

    @Test("resumeLoop gives the loop the messages that came while a sender handled one")
    func resumeLoop() async {
        let mailbox = Mailbox<Int>()
        let loop = await parkedLoop(mailbox)
        #expect(mailbox.post(20, handleHere: true) == .handleHere)
        #expect(mailbox.post(21) == .queued)
        mailbox.resumeLoop()
        #expect(await received(by: loop, from: mailbox) == [21])
    }

    @Test("a closed mailbox refuses every post, whether or not the sender offers to handle it")
    func closedRefuses() {
        let mailbox = Mailbox<Int>()
        #expect(mailbox.post(1) == .queued)
        #expect(mailbox.close() == [1])
        #expect(mailbox.post(2) == .refused)
        #expect(mailbox.post(3, handleHere: true) == .refused)
    }
}
