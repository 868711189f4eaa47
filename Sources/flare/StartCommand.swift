import ArgumentParser
import AshFlare

/// `flare start SUPERVISOR TEMPLATE [ARGS…]`: adds a child from a template; prints its path.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a child from one of a supervisor's templates and print its path.",
        discussion: "Put arguments that begin with '-' after '--'. 'flare tree' lists each supervisor's templates.")

    @Argument(help: "The supervisor's path, e.g. shop/workers.", transform: parsePath)
    var supervisor: ChildPath

    @Argument(help: "The template's name.")
    var template: String

    @Argument(help: "The template's arguments.")
    var arguments: [String] = []

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let path = try await connection.client().startChild(template: template, arguments: arguments, under: supervisor)
        Terminal.text(path.description)
    }
}
