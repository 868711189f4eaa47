import AshFlare

/// One differential scenario as the generator writes it (Tools/OtpDiff/python/generator.py):
/// a tree, start failures armed before the start, and the steps to perform.
struct Scenario: Decodable, Sendable {
    /// The seed that generated the scenario; it names the scenario in every report.
    var seed: Int
    /// The intensity period of every supervisor, long enough that timing never matters.
    var periodSeconds: Int
    /// The root supervisor.
    var tree: Node
    /// Start failures armed before the tree starts: worker path → how many starts fail.
    var initialFails: [String: Int]
    /// The operations, in order.
    var steps: [Step]

    enum CodingKeys: String, CodingKey {
        case seed, tree, steps
        case periodSeconds = "period_seconds"
        case initialFails = "initial_fails"
    }

    /// A worker or supervisor of the scenario's tree.
    struct Node: Decodable, Sendable {
        /// The child id (unique among its siblings).
        var id: String
        /// `worker` or `supervisor`.
        var type: String
        /// `permanent`, `transient` or `temporary` (absent for the root).
        var restart: String?
        /// `one_for_one`, `one_for_all` or `rest_for_one` (supervisors only).
        var strategy: String?
        /// Restarts tolerated within the period (supervisors only).
        var intensity: Int?
        /// The children in start order (supervisors only).
        var children: [Node]?
    }

    /// One operation of the script.
    struct Step: Decodable, Sendable {
        /// `exit`, `kill`, `terminate`, `restart`, `delete`, `start_child` or `fail_starts`.
        var op: String
        /// The node addressed (every op but `start_child`).
        var path: String?
        /// `normal` or `abnormal` (for `exit`).
        var reason: String?
        /// The supervisor to add under (for `start_child`).
        var under: String?
        /// The child to add (for `start_child`).
        var child: Node?
        /// How many starts fail (for `fail_starts`).
        var count: Int?
    }
}
