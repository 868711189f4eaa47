/// The sliding window of recent restarts that decides when a supervisor gives up (pure logic).
///
/// OTP's `add_restart/3`: a restart older than `period` falls out of the window; more than
/// `maxRestarts` restarts inside it means the intensity is exceeded. Holds at most
/// `maxRestarts + 1` instants, oldest first.
struct IntensityWindow: Hashable, Sendable {
    let intensity: RestartIntensity
    /// Restart instants (time since the tree started) still inside the window, oldest first.
    private(set) var instants: [Duration] = []

    init(_ intensity: RestartIntensity) {
        self.intensity = intensity
        instants.reserveCapacity(min(intensity.maxRestarts + 1, 64))
    }

    /// Records a restart at `now`; returns `true` when the intensity is now exceeded.
    mutating func recordRestart(at now: Duration) -> Bool {
        prune(at: now)
        instants.append(now)
        if instants.count > intensity.maxRestarts + 1 { instants.removeFirst() }
        return instants.count > intensity.maxRestarts
    }

    /// The restarts still inside the window at `now`.
    func restarts(at now: Duration) -> [Duration] {
        instants.filter { now - $0 < intensity.period }
    }

    private mutating func prune(at now: Duration) {
        if let keep = instants.firstIndex(where: { now - $0 < intensity.period }) {
            if keep > 0 { instants.removeFirst(keep) }
        } else {
            instants.removeAll(keepingCapacity: true)
        }
    }
}
