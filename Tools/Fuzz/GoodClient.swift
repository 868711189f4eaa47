import AshFlare
import AshFlareRemote

/// A well-behaved client that keeps doing real work during the fuzz: snapshot, kill its victim
/// and wait for the restart in its event stream, count children. Every call must succeed.
struct GoodClient {
    let name: String
    let client: RemoteSupervisor
    /// When set, the work goes to this in-process handle instead of over the network (to tell
    /// the engine's share of a figure from the remote layer's).
    var local: SupervisorHandle?
    let victim: ChildPath
    let report: FuzzReport

    /// Works until `deadline`; returns how many times it killed its victim.
    func run(until deadline: ContinuousClock.Instant) async -> Int {
        var kills = 0
        let client: any SupervisionControl = local ?? self.client
        do {
            let observation = try await client.observe()
            var events = observation.events.makeAsyncIterator()
            var incarnation = try require(observation.snapshot.node(at: victim), "victim").incarnation
            while ContinuousClock.now < deadline {
                let started = ContinuousClock.now
                let snapshot = try await client.snapshot()
                guard snapshot.node(at: victim)?.state == .running else {
                    report.violation("\(name): the victim is \(snapshot.node(at: victim).map { "\($0.state)" } ?? "missing")")
                    return kills
                }
                try await client.kill(victim)
                kills += 1
                while let event = await events.next() {
                    if case .childStarted(let path, let next) = event.kind, path == victim {
                        guard next == incarnation + 1 else {
                            report.violation("\(name): the victim restarted as #\(next), expected #\(incarnation + 1)")
                            return kills
                        }
                        incarnation = next
                        break
                    }
                }
                _ = try await client.countChildren(of: FuzzTree.victims)
                if local == nil { try await self.client.ping() } else { _ = try await client.snapshot() }
                report.count("good client round trips", by: 5)
                report.maximum("good client slowest round (ms)", (ContinuousClock.now - started).milliseconds)
            }
        } catch {
            report.violation("\(name): a well-behaved call failed: \(error)")
        }
        return kills
    }
}

/// `#require` without Testing: unwraps or throws.
func require<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw FuzzFailure("missing \(what)") }
    return value
}

/// A failure of the fuzzer's own set-up.
struct FuzzFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}

