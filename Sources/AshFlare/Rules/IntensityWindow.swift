/// The sliding window of recent restarts that decides when a supervisor gives up (pure logic).
///
/// OTP's `add_restart/3`: a restart more than `period` old falls out of the window (one exactly
/// `period` old stays, ``RestartIntensity/window(contains:at:)``); more than
/// `maxRestarts` restarts inside it means the intensity is exceeded. A queue of at most
/// `maxRestarts + 1` instants, oldest first; recording is amortised O(1).
struct IntensityWindow: Hashable, Sendable {
    let intensity: RestartIntensity
    /// Restart instants (time since the tree started); those before `head` have left the window.
    private var storage: [Duration] = []
    private var head = 0

    init(_ intensity: RestartIntensity) {
        self.intensity = intensity
    }

    /// The instants still held, oldest first (some may be older than the period until the next prune).
    var instants: ArraySlice<Duration> { storage[head...] }

    /// Records a restart at `now`; returns `true` when the intensity is now exceeded.
    mutating func recordRestart(at now: Duration) -> Bool {
        while head < storage.count, !intensity.window(contains: storage[head], at: now) { head += 1 }
        storage.append(now)
        if storage.count - head - 1 > intensity.maxRestarts { head += 1 }
        if head > 32, head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return intensity.isExceeded(byRestarts: storage.count - head)
    }

    /// The restarts still inside the window at `now`, oldest first.
    func restarts(at now: Duration) -> [Duration] {
        instants.filter { intensity.window(contains: $0, at: now) }
    }

    /// How many restarts are inside the window at `now`.
    func count(at now: Duration) -> Int {
        instants.reduce(0) { $0 + (intensity.window(contains: $1, at: now) ? 1 : 0) }
    }

    /// How many restarts the window holds: right after ``recordRestart(at:)`` (which prunes),
    /// exactly those inside the window — O(1), unlike ``count(at:)``.
    var countAfterRecording: Int { storage.count - head }
}
