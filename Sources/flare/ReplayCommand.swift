import ArgumentParser
import AshFlare
import AshFlareDashboard
import AshFlareRecording
import AshFlareTerminal

/// `flare replay`: the dashboard on a recording, with a timeline.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recording ('flare record', R in the dashboard) back in the dashboard, with a timeline.",
        discussion: """
            Keys: space plays and pauses, . and , step one event forward and back, + and - change the \
            speed (1/8x to 64x), t jumps to a time (90, 1:30, 12.5s) or a percentage (50%). The tree, \
            the filter, folds, detail and the event log work as in 'flare top'; nothing can be changed. \
            With --check, the recording is replayed to its end without a terminal and every check \
            snapshot is compared with the tree rebuilt from the events (exit 1 on a difference).
            """)

    @Argument(help: ArgumentHelp("The recording to play.", valueName: "file"))
    var file: String

    @Flag(help: "Start playing at once (default: paused at the first snapshot).")
    var play = false

    @Option(help: "Playback speed (0.125 to 64).")
    var speed: Double = 1

    @Flag(help: "Replay without a terminal and compare every check snapshot; print a summary.")
    var check = false

    @Flag(help: "Print one frame as plain text at --at and exit.")
    var once = false

    @Option(help: ArgumentHelp("With --once: the time to show (seconds from the start, 1:30, or 50%; default: the end).", valueName: "time"))
    var at: String?

    @Option(help: "Frame width for --once.")
    var width: Int = 100

    @Option(help: "Frame height for --once.")
    var height: Int = 32

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "Do not use colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Do not take the mouse.")
    var noMouse = false

    func validate() throws {
        if !ReplayPlayer.speeds.contains(speed) { throw ValidationError("--speed must be within 0.125...64 (was \(speed))") }
    }

    func run() async throws {
        let recording: Recording
        do { recording = try RecordingFile.read(file) } catch { throw UsageError(message: error.message) }
        if check {
            let result = ReplayCheck.run(recording)
            Terminal.text(result.summary)
            if !result.mismatches.isEmpty {
                for line in result.mismatches.prefix(5) { Terminal.text(line) }
                throw ReplayMismatch(message: "\(result.mismatches.count) differences between the replay and the check snapshots")
            }
            return
        }
        var options = DashboardOptions.fromEnvironment(Dashboard.environment, base: DashboardOptions(
            ascii: ascii, color: !noColor, refreshInterval: .milliseconds(250), title: "flare replay"))
        if noColor { options.color = false }
        options.mouse = !noMouse
        var state: DashboardState
        do { state = try DashboardState(replaying: recording, options: options) } catch { throw UsageError(message: error.message) }
        state.setReplaySpeed(speed, playing: play)
        if once {
            if let at {
                for key in [Key.character("t")] + Key.typing(at) + [.enter] { Reducer.reduce(&state, key) }
                if state.status?.tone == .error { throw UsageError(message: state.status?.text ?? "bad --at") }
            } else {
                for key in [Key.character("t")] + Key.typing("100%") + [.enter] { Reducer.reduce(&state, key) }
            }
            state.resize(width: width, height: height)
            Terminal.output(Renderer.renderText(state, width: width, height: height))
            return
        }
        _ = try await Dashboard.replay(state)
    }
}
