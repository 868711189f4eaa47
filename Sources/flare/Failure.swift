import ArgumentParser
import AshFlare
import AshFlareRecording
import AshFlareRemote
import AshFlareTreeFile

/// Maps every error to its exit code and a single line on stderr.
enum Failure {
    /// The tree refused the operation.
    static let operation: Int32 = 1
    /// Bad command line.
    static let usage: Int32 = 2
    /// Could not connect, or the connection ended.
    static let connection: Int32 = 3
    /// Bad or missing token, or not enough permission.
    static let authentication: Int32 = 4
    /// The two sides do not understand each other.
    static let protocolError: Int32 = 5

    /// Prints the one-line message for `error` and returns its exit code.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as SupervisorError:
            Terminal.error("\(error.code): \(error.message)")
            return operation
        case let error as RemoteError:
            Terminal.error("\(error.code): \(error.message)")
            return exitCode(for: error.code)
        case let error as TreeFileError:
            Terminal.error(error.description)
            return usage
        case let error as RecordingError:
            Terminal.error("usage: \(error.message)")
            return usage
        case let error as ReplayMismatch:
            Terminal.error(error.message)
            return operation
        case let error as UsageError:
            Terminal.error("usage: \(error.message)")
            return usage
        default:
            return reportParserError(error)
        }
    }

    /// The exit code of a remote-layer error.
    static func exitCode(for code: RemoteError.Code) -> Int32 {
        switch code {
        case .invalidEndpoint, .invalidConfiguration: usage
        case .unauthorized, .permissionDenied: authentication
        case .connectionFailed, .connectionLost, .closed, .handshakeTimeout, .idleTimeout, .tooManyConnections,
             .serverStopping, .slowConsumer:
            connection
        default: protocolError
        }
    }

    private static func reportParserError(_ error: any Error) -> Int32 {
        let exit = Flare.exitCode(for: error)
        if exit == .success {
            // --help and --version.
            Terminal.output(Flare.fullMessage(for: error))
            return 0
        }
        if error is CancellationError {
            Terminal.error("cancelled")
            return connection
        }
        let message = Flare.message(for: error)
            .split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
        let trimmed = message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
        Terminal.error("usage: \(trimmed) (see 'flare help')")
        return usage
    }
}

/// `flare replay --check` found a check snapshot that the events do not rebuild.
struct ReplayMismatch: Error {
    /// The differences.
    var message: String
}

/// A command-line mistake found after parsing (a bad path, URL, …).
struct UsageError: Error {
    /// What is wrong.
    var message: String
}
