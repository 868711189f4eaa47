/// An error from a supervision tree operation or spec validation.
///
/// Match on ``code``; ``message`` is for people and names the field, value or path concerned.
/// New codes may be added without breaking callers.
public struct SupervisorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of error.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidSpec, childNotFound, childAlreadyExists, childRunning, childRestarting
            case childNotRunning, notASupervisor, shuttingDown, initializationFailed, initializationTimeout
            case unknownTemplate, badArguments, staleExecution, childAlreadyPresent, notAWorker, rootSupervisor, supervisorNotRunning
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A spec failed validation; the message names the field and value.
        public static let invalidSpec = Code(.invalidSpec)
        /// No node exists at the path.
        public static let childNotFound = Code(.childNotFound)
        /// A running child with this id already exists under the supervisor (OTP's `already_started`).
        public static let childAlreadyExists = Code(.childAlreadyExists)
        /// A stopped child spec with this id is already held by the supervisor (OTP's
        /// `already_present`): `restart` or `delete` it instead.
        public static let childAlreadyPresent = Code(.childAlreadyPresent)
        /// A conditional operation named an execution the node no longer is: it was restarted
        /// (or its supervisor was) since the caller looked.
        public static let staleExecution = Code(.staleExecution)
        /// The operation needs a stopped child, but the child is running (OTP's `running`).
        public static let childRunning = Code(.childRunning)
        /// The operation needs a stopped child, but the child waits for a restart (OTP's `restarting`).
        public static let childRestarting = Code(.childRestarting)
        /// The operation needs a running child, but the child is not running.
        public static let childNotRunning = Code(.childNotRunning)
        /// The path names a worker where a supervisor is needed.
        public static let notASupervisor = Code(.notASupervisor)
        /// The tree, or the supervisor addressed, is shutting down or has stopped.
        public static let shuttingDown = Code(.shuttingDown)
        /// A child started at runtime failed in `initialize()`; it was not added.
        public static let initializationFailed = Code(.initializationFailed)
        /// A child started at runtime did not finish `initialize()` in time; it was not added.
        public static let initializationTimeout = Code(.initializationTimeout)

        /// The supervisor offers no template of that name.
        public static let unknownTemplate = Code(.unknownTemplate)
        /// A template rejected its arguments; the message names them.
        public static let badArguments = Code(.badArguments)
        /// The path names a supervisor where a worker is needed (e.g. for its log).
        public static let notAWorker = Code(.notAWorker)
        /// The operation needs a child of a supervisor, but the path names the root supervisor,
        /// which no supervisor holds: stop the whole tree instead.
        public static let rootSupervisor = Code(.rootSupervisor)
        /// The path names, or passes through, a supervisor that exists but is not running, so
        /// it has no children to list or reach until it is restarted.
        public static let supervisorNotRunning = Code(.supervisorNotRunning)

        /// A stable name for the code, e.g. `childNotFound` (used on the wire).
        public var name: String { wrapped.rawValue }

        /// Looks a code up by its ``name``.
        public init?(name: String) {
            guard let wrapped = Wrapped(rawValue: name) else { return nil }
            self.wrapped = wrapped
        }

        public var description: String { wrapped.rawValue }
    }

    /// The kind of error.
    public var code: Code
    /// A human-readable explanation naming what was wrong.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func notFound(_ path: ChildPath) -> SupervisorError {
        SupervisorError(.childNotFound, "no child at path '\(path)'")
    }

    static func invalid(_ field: String, _ problem: String) -> SupervisorError {
        SupervisorError(.invalidSpec, "\(field) \(problem)")
    }

    static let treeStopped = SupervisorError(.shuttingDown, "the supervision tree has shut down")
}

/// A convenient error for workers to throw: its message becomes the exit reason.
///
/// ```swift
/// throw WorkerError("payment gateway timed out")   // exit reason: error("payment gateway timed out")
/// ```
public struct WorkerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
