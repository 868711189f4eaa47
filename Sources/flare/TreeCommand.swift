import ArgumentParser
import AshFlare
import AshFlareRemote

/// `flare tree`: prints the whole tree once.
struct TreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Print the tree: every node's state, incarnation, policy and restarts.")

    @Flag(help: "Print the snapshot as one line of JSON (the protocol's form; see docs/PROTOCOL.md).")
    var json = false

    @Flag(help: "Draw the tree with ASCII characters only.")
    var ascii = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let snapshot = try await connection.client().snapshot()
        if json {
            Terminal.output(WireJSON.encode(snapshot))
        } else {
            for line in TreeText.lines(snapshot, ascii: ascii) { Terminal.text(line) }
        }
    }
}
