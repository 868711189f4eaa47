import ArgumentParser
import AshFlare

/// `flare delete PATH`: removes a stopped child's spec.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove a stopped child's spec (OTP's delete_child).")

    @Argument(help: "The child's path, e.g. shop/db/pool.", transform: parsePath)
    var path: ChildPath

    @OptionGroup var condition: ExecutionCondition

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client()
        try await condition.run({ try await client.delete(path) }, { try await client.delete(path, ifExecution: $0) })
    }
}
