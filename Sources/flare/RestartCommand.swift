import ArgumentParser
import AshFlare

/// `flare restart PATH`: starts a stopped child again.
struct RestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Start a stopped child again (OTP's restart_child).")

    @Argument(help: "The child's path, e.g. shop/db/pool.", transform: parsePath)
    var path: ChildPath

    @OptionGroup var condition: ExecutionCondition

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client()
        try await condition.run({ try await client.restart(path) }, { try await client.restart(path, ifExecution: $0) })
    }
}
