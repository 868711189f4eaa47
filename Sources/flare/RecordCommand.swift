import ArgumentParser
import AshFlare
import AshFlareRecording
import AshFlareRemote
import AshFlareTerminal
import Foundation

/// `flare record`: saves what a dashboard would watch of a served tree to a file for `flare replay`.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a served tree (its snapshot, then every event) to a file that 'flare replay' plays back.",
        discussion: """
            The file is JSON lines (docs/RECORDING.md): a header, the snapshot, every event, and a check \
            snapshot every --check-every events. Recording ends on Ctrl-C or SIGTERM, after --seconds, or \
            when the tree stops; the last lines are written first. An existing FILE is replaced.
            """)

    @Argument(help: ArgumentHelp("The recording to write.", valueName: "file"))
    var file: String

    @Option(help: "Stop after this many seconds (default: until Ctrl-C or the tree stops).")
    var seconds: Double?

    @Option(help: "Write a check snapshot after this many events.")
    var checkEvery = 1000

    @Flag(help: "Print nothing while recording.")
    var quiet = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if checkEvery < 1 { throw ValidationError("--check-every must be positive (was \(checkEvery))") }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be positive (was \(seconds))") }
    }

    func run() async throws {
        let client = try connection.client()
        let source = connection.connect ?? Terminal.environment("ASHFLARE_CONNECT") ?? "?"
        let name = try await client.snapshot().root.id
        let recorder = TreeRecorder(checkEvery: checkEvery)
        let quiet = quiet
        let file = file
        let seconds = seconds
        _ = try RecordingFile(creating: file)  // fails early, naming the path, when it cannot be written
        let summary = try await withThrowingTaskGroup(of: RecordingSummary?.self) { group in
            group.addTask {
                let output = try RecordingFile(creating: file)
                return try await recorder.record(client, name: name, source: source, startedAt: FileRecorder.isoStamp(Date()), into: output) {
                    if !quiet { Terminal.text("flare: recording \(name) to \(file) (Ctrl-C stops)") }
                }
            }
            group.addTask {
                _ = await StopSignal.wait(seconds: seconds)
                return nil
            }
            var result: RecordingSummary?
            while let next = try await group.next() {
                if let next {
                    result = next
                    break
                }
                group.cancelAll()  // a signal or --seconds: the recorder writes its last lines and returns
            }
            group.cancelAll()
            return result ?? RecordingSummary()
        }
        if !quiet { Terminal.text("flare: recorded \(summary.events) events, \(summary.checks) checks, \(summary.resyncs) resyncs to \(file)") }
        await client.close()
    }
}
