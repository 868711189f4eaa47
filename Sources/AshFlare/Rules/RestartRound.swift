/// Which children one restart round touches: OTP's `restart/3` clauses for each strategy, as a
/// pure function of positions.
///
/// The supervisor's state machine plans every round with it, and ``BlastRadius`` previews one
/// with it, so a preview and the real round can never disagree.
public struct RestartRound: Hashable, Sendable {
    /// A child as the rule sees it: whether it has a live incarnation, and its policy.
    public struct Member: Hashable, Sendable {
        /// Whether it is starting, running or stopping.
        public var isActive: Bool
        /// Its restart policy.
        public var policy: RestartPolicy

        /// Creates a member.
        public init(isActive: Bool, policy: RestartPolicy) {
            self.isActive = isActive
            self.policy = policy
        }
    }

    /// Positions (in start order) of the live siblings to stop, in reverse start order; the
    /// failed child itself has already exited.
    public var stop: [Int]
    /// Positions of temporary siblings in the scope: stopped if live, and their specs dropped
    /// (OTP never restarts a temporary child).
    public var drop: [Int]
    /// Positions to start again, in start order (the failed child among them).
    public var start: [Int]

    /// The round `strategy` runs when the child at `failed` exits and is to be restarted.
    ///
    /// - one-for-one: only the failed child.
    /// - one-for-all: every child.
    /// - rest-for-one: the failed child and every child after it.
    public static func plan(_ strategy: RestartStrategy, failed: Int, members: [Member]) -> RestartRound {
        let scope: Range<Int> = switch strategy {
        case .oneForOne: failed..<failed + 1
        case .oneForAll: 0..<members.count
        case .restForOne: failed..<members.count
        }
        var round = RestartRound(stop: [], drop: [], start: [])
        for position in scope.reversed() where position != failed && members[position].isActive {
            round.stop.append(position)
        }
        for position in scope {
            if position != failed && members[position].policy == .temporary {
                round.drop.append(position)
            } else {
                round.start.append(position)
            }
        }
        return round
    }
}
