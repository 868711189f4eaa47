/// Which of a child's lines a tail returns.
public enum LogScope: String, Hashable, Sendable, CaseIterable {
    /// Every line in the ring, whichever incarnation wrote it.
    case all
    /// The lines of the child's current (or, while it is stopped, last) incarnation.
    case current
    /// The lines of the incarnation before the current one: after a crash and restart, the
    /// crashed incarnation's last words.
    case previous
}
