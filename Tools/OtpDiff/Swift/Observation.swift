import AshFlare

/// What both runners print after the start and after every step (the comparator's unit).
struct Observation: Encodable {
    /// 0 for the start, then the step's number from 1.
    var i: Int
    /// The step's operation (`start` for the start).
    var op: String
    /// `ok` or the normalised error (see ``Observation/result(of:)``).
    var result: String
    /// Running nodes by path, sorted.
    var alive: [String]
    /// Child specs held by running supervisors, by path, sorted.
    var specs: [String]
    /// Successful starts by worker path, so far.
    var starts: [String: Int]
    /// Failed starts by worker path, so far.
    var failed: [String: Int]
    /// The workers started during the step, in order.
    var started: [String]
    /// The supervisors that gave up during the step, sorted.
    var escalated: [String]

    /// The normalised name of an operation's error, shared with the OTP runner: OTP's error atoms
    /// where AshFlare has the same rule, AshFlare's code otherwise.
    static func result(of error: any Error) -> String {
        guard let error = error as? SupervisorError else { return "error" }
        switch error.code {
        case .childNotFound: return "not_found"
        case .childRunning: return "running"
        case .childRestarting: return "restarting"
        case .childNotRunning: return "not_running"
        case .initializationFailed: return "start_failed"
        case .childAlreadyExists: return "already_started"
        case .childAlreadyPresent: return "already_present"
        case .shuttingDown: return "parent_down"
        default: return error.code.name
        }
    }
}

/// One scenario's observations, printed as one JSON line.
struct ScenarioResult: Encodable {
    /// The scenario's seed.
    var seed: Int
    /// The start's observation, then one per step performed (none after the root is gone).
    var steps: [Observation]
}
