/// What the Swift runtime itself costs for the steps a supervisor's hot path is made of, measured
/// in the same run as the engine's figures (`ashflare-profile floor`), so each figure can be read
/// against what the runtime allows: an engine step cannot cost less than its runtime floor.
public enum RuntimeFloor {
    struct Failure: Error {}

    @inline(never)
    static func fail(_ value: Int) throws -> Int {
        if value >= 0 { throw Failure() }
        return value
    }

    /// `count` times: create a task that does nothing and await its value.
    public static func createAndAwait(_ count: Int) async -> Int {
        var sum = 0
        for index in 0..<count { sum &+= await Task { index }.value }
        return sum
    }

    /// `count` times: throw an error and catch it (what a crashing worker does once).
    public static func throwAndCatch(_ count: Int) -> Int {
        var caught = 0
        for index in 0..<count {
            do { caught &+= try fail(index) } catch { caught &+= 1 }
        }
        return caught
    }

    /// `count` times: create a task, wait until it is suspended in a sleep, cancel it and await
    /// it (what stopping an idle worker costs the runtime; the wait for it to suspend is one
    /// more hand-off, included).
    public static func cancelSuspended(_ count: Int) async -> Int {
        var ended = 0
        for _ in 0..<count {
            let (started, signal) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                signal.yield()
                do { try await Task.sleep(for: .seconds(86_400)) } catch { return 1 }
                return 0
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            ended &+= await task.value
        }
        return ended
    }
}
