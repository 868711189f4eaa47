/// The environment a process child starts with.
///
/// ```swift
/// .inherit                                   // the supervisor's own environment
/// .inheriting(adding: ["PORT": "8080"])      // the supervisor's, plus or overriding these
/// .replacing(with: ["PATH": "/usr/bin"])     // exactly these
/// ```
public struct ProcessEnvironment: Hashable, Sendable {
    /// Whether the supervisor's environment is the base.
    public let inheritsParent: Bool
    /// Variables added to (or overriding) the base.
    public let variables: [String: String]

    private init(inheritsParent: Bool, variables: [String: String]) {
        self.inheritsParent = inheritsParent
        self.variables = variables
    }

    /// The supervisor's environment, unchanged.
    public static let inherit = ProcessEnvironment(inheritsParent: true, variables: [:])

    /// The supervisor's environment plus `variables` (which win over inherited ones).
    public static func inheriting(adding variables: [String: String]) -> ProcessEnvironment {
        ProcessEnvironment(inheritsParent: true, variables: variables)
    }

    /// Exactly `variables`, nothing inherited.
    public static func replacing(with variables: [String: String]) -> ProcessEnvironment {
        ProcessEnvironment(inheritsParent: false, variables: variables)
    }

    /// Checks that every key and value can be passed to `execve`: no NUL byte anywhere, no empty
    /// key, no `=` in a key.
    public func validate() throws(ProcessChildError) {
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) {
            if key.isEmpty || key.utf8.contains(UInt8(ascii: "=")) || key.utf8.contains(0) {
                throw ProcessChildError(.badEnvironment, "environment key \(key.debugDescription) must be non-empty, without '=' or NUL bytes")
            }
            if value.utf8.contains(0) {
                throw ProcessChildError(.badEnvironment, "environment value of \(key) contains a NUL byte")
            }
        }
    }
}
