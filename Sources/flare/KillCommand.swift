import ArgumentParser
import AshFlare

/// `flare kill PATH`: fault injection.
struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Kill a running child (it exits with reason 'killed'; its restart policy applies).")

    @Argument(help: "The child's path, e.g. shop/db/pool.", transform: parsePath)
    var path: ChildPath

    @OptionGroup var condition: ExecutionCondition

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client()
        try await condition.run({ try await client.kill(path) }, { try await client.kill(path, ifExecution: $0) })
    }
}
