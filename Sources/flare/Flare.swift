import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `flare`: watch and steer a supervision tree served by `SupervisorServer`.
///
/// Subcommands live one per file; a new one (such as the dashboard's `top`) is one more entry in
/// `subcommands`.
@main
struct Flare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare",
        abstract: "Watch and steer an AshFlare supervision tree over a Unix socket or TCP.",
        discussion: """
            Every command takes --connect URL (or $ASHFLARE_CONNECT): unix:///path/to.sock or tcp://host:port. The token comes from --token or $ASHFLARE_TOKEN; prefer the variable, since command lines are visible to other users.

            Exit codes:
              0  success ('events', 'logs --follow': the tree stopped or the log ended)
              1  the tree refused the operation (unknown path, running child, ...)
              2  usage error (bad option, URL or path)
              3  connection failure (cannot connect, lost, or closed by the server)
              4  authentication failure (bad or missing token, read-only)
              5  protocol error (version mismatch, unreadable reply)

            Errors are one line on stderr: 'flare: <code>: <message>'.
            """,
        version: "1.0.0",
        subcommands: [
            TreeCommand.self,
            EventsCommand.self,
            LogsCommand.self,
            KillCommand.self,
            RestartCommand.self,
            TerminateCommand.self,
            DeleteCommand.self,
            StartCommand.self,
            TopCommand.self,
            RunCommand.self,
            RecordCommand.self,
            ReplayCommand.self,
        ]
    )

    /// Runs the command, turning every failure into one stderr line and a documented exit code.
    static func main() async {
        let code: Int32
        do {
            try checkArgumentsAreUTF8()
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            code = 0
        } catch {
            code = Failure.report(error)
        }
        Terminal.exit(code)
    }

    /// Refuses arguments that are not UTF-8: Swift would repair them (each bad byte becomes
    /// U+FFFD), and a repaired socket path or child path names something else than the user typed.
    static func checkArgumentsAreUTF8() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument))
            if String(validating: bytes, as: UTF8.self) == nil {
                throw UsageError(message: "argument \(index) is not valid UTF-8 ('\(String(decoding: bytes, as: UTF8.self))')")
            }
        }
    }
}
