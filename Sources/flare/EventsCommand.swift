import ArgumentParser
import AshFlare
import AshFlareRemote

/// `flare events`: follows the tree's events, one per line, until the tree stops.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Follow the tree's events, one per line, until the tree stops (exit 0) or the connection is lost (exit 3).")

    @Flag(help: "Print each event as one line of JSON (the protocol's form; see docs/PROTOCOL.md).")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let client = try connection.client()
        let observation = try await client.observe()
        for await event in observation.events {
            if json { Terminal.output(WireJSON.encode(event)) } else { Terminal.text(EventText.line(event)) }
        }
        if let error = client.lastConnectionError { throw error }
    }
}
