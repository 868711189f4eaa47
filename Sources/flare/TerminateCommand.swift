import ArgumentParser
import AshFlare

/// `flare terminate PATH`: stops a child, keeping its spec.
struct TerminateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Stop a child per its shutdown policy and keep its spec (OTP's terminate_child).")

    @Argument(help: "The child's path, e.g. shop/db/pool.", transform: parsePath)
    var path: ChildPath

    @OptionGroup var condition: ExecutionCondition

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client()
        try await condition.run({ try await client.terminate(path) }, { try await client.terminate(path, ifExecution: $0) })
    }
}
