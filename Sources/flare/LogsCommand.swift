import ArgumentParser
import AshFlare
import AshFlareRemote

/// `flare logs PATH`: a child's last log lines, or follows them.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a child's log lines (its current incarnation's, or --previous), or --follow them.",
        discussion: """
            Without --follow, prints the lines the child's ring holds for its current incarnation (--previous: the one before, e.g. the incarnation that crashed; --all: every incarnation) and exits 0.

            With --follow, prints the newest --lines lines held (any incarnation, default 10), then every new line across restarts until the child is deleted or the tree stops (exit 0) or the connection is lost (exit 3). If the reader falls behind, 'flare: lagged: missed N lines' goes to stderr.
            """)

    @Argument(help: "The child's path, e.g. shop/db/pool.", transform: parsePath)
    var path: ChildPath

    @Flag(name: .shortAndLong, help: "Follow the log: print new lines as they are written.")
    var follow = false

    @Flag(name: .shortAndLong, help: "Print the previous incarnation's lines (after a crash: its last words).")
    var previous = false

    @Flag(help: "Print the lines of every incarnation the ring holds.")
    var all = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Print at most the newest N lines.", valueName: "n"))
    var lines: Int?

    @Flag(help: "Print each line as one line of JSON (the protocol's form; see docs/PROTOCOL.md).")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if follow && (previous || all) { throw ValidationError("--follow cannot be combined with --previous or --all") }
        if previous && all { throw ValidationError("--previous and --all cannot be combined") }
        if let lines, !(0...1_000_000).contains(lines) { throw ValidationError("--lines must be from 0 to 1000000 (was \(lines))") }
    }

    func run() async throws {
        let client = try connection.client()
        if follow {
            for await entry in try await client.followLog(of: path, backlog: lines ?? 10) { print(entry) }
            if let error = client.lastConnectionError { throw error }
            return
        }
        let scope: LogScope = previous ? .previous : all ? .all : .current
        let tail = try await client.logTail(of: path, scope: scope, limit: lines)
        for line in tail.lines { print(.line(line)) }
    }

    private func print(_ entry: ChildLogEntry) {
        if json { return Terminal.output(WireJSON.encode(entry)) }
        switch entry {
        case .line(let line): Terminal.text(line.displayText)
        case .lagged(let missed): Terminal.error("lagged: missed \(missed) lines")
        }
    }
}
