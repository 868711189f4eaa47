/// Why a process child could not be specified, spawned or made ready.
///
/// ```swift
/// do { _ = try ChildSpec.process("web", ProcessSpec("python4")) }
/// catch let error as ProcessChildError where error.code == .executableNotFound { … }
/// ```
public struct ProcessChildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case executableNotFound, notExecutable, badEnvironment, badSpec, spawnFailed
            case readinessTimeout, exitedBeforeReady
        }

        private let value: Value

        /// No file at the executable's path, or no such name on `PATH`.
        public static let executableNotFound = Code(value: .executableNotFound)
        /// The file exists but may not be executed (no `x` permission, or a directory).
        public static let notExecutable = Code(value: .notExecutable)
        /// An environment key or value holds a NUL byte, or a key is empty or holds `=`.
        public static let badEnvironment = Code(value: .badEnvironment)
        /// Another field of the spec is unusable (an empty executable, a bad readiness pattern).
        public static let badSpec = Code(value: .badSpec)
        /// The operating system refused to start the process.
        public static let spawnFailed = Code(value: .spawnFailed)
        /// The process did not become ready within its readiness timeout.
        public static let readinessTimeout = Code(value: .readinessTimeout)
        /// The process ended before it became ready.
        public static let exitedBeforeReady = Code(value: .exitedBeforeReady)

        /// The code's name, such as `executableNotFound`.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence naming the executable, key or port concerned.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
