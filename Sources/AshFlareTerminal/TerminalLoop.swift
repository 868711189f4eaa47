import AshFlare
import AshFlareDashboard
#if canImport(Glibc)
import Glibc
#endif

/// The terminal thread's life: owns ncurses and the ``DashboardState``; applies what the inbox
/// brings, turns keys into commands, draws at the refresh rate, and blocks in `poll` in between
/// (so an idle dashboard costs next to nothing). Every curses call happens here.
struct TerminalLoop {
    let names: [String]
    let options: DashboardOptions
    let inbox: Inbox
    /// Runs a command that leaves the terminal thread (control operations, snapshot requests).
    let dispatch: @Sendable (DashboardCommand) -> Void
    /// The state to start from (a replay's); a fresh one for `names` when nil.
    var initialState: DashboardState? = nil

    /// How often the selected worker's log is re-read for the detail pane.
    static let logRefresh = Duration.seconds(1)
    /// The longest `poll` wait, so a resize signal delivered to another thread is seen soon.
    static let maximumWait = Duration.milliseconds(200)

    /// Runs until `q`, a signal or cancellation; returns why it ended. Restores the terminal on
    /// every way out.
    func run() -> Result<String, DashboardError> {
        guard var screen = Curses(color: options.color, mouse: options.mouse, theme: options.theme) else {
            return .failure(DashboardError("could not initialise the terminal (is TERM set?)"))
        }
        defer { screen.end() }
        let clock = ContinuousClock()
        let start = clock.now
        var state = initialState ?? DashboardState(names: names, options: options)
        var size = screen.size
        state.resize(width: size.width, height: size.height)
        var lastDraw: ContinuousClock.Instant?
        var lastLogRead: (at: ContinuousClock.Instant, request: DashboardCommand)?
        var dirty = true
        while true {
            state.tick(wall: start.duration(to: clock.now))
            for item in inbox.drain() {
                switch item {
                case .quit(let reason):
                    return .success(reason)
                case .update(let update):
                    switch update {
                    case .events: break
                    case .logLines: if state.logsPane?.loaded != true { dirty = true }
                    default: dirty = true
                    }
                    for command in state.apply(update) { dispatch(command) }
                }
            }
            while let input = screen.readKey() {
                dirty = true
                switch input {
                case .resize:
                    size = screen.size
                    state.resize(width: size.width, height: size.height)
                    screen.invalidate()
                case .key(let key):
                    for command in Reducer.reduce(&state, key) {
                        if command == .quit { return .success("q") }
                        dispatch(command)
                    }
                }
            }
            let now = clock.now
            // No periodic re-read: the model follows events, and each NodeFeed re-reads only
            // on lag, reconnect, or (slowly) for fields no event carries.
            // The selected worker's last lines: read again each second, and at once on a new selection.
            if let request = state.detailLogRequest,
               lastLogRead.map({ $0.request != request || $0.at.duration(to: now) >= Self.logRefresh }) ?? true {
                lastLogRead = (now, request)
                dispatch(request)
            }
            // A followed log is drawn at least four times a second.
            let interval = state.logsPane?.follow == true ? min(state.options.refreshInterval, .milliseconds(250)) : state.options.refreshInterval
            if dirty || lastDraw.map({ $0.duration(to: now) >= interval }) ?? true {
                let frame = Renderer.render(state, width: size.width, height: size.height)
                screen.draw(frame)
                lastDraw = now
                dirty = false
            }
            let untilDraw = interval - (lastDraw.map { $0.duration(to: clock.now) } ?? .zero)
            wait(for: min(max(.milliseconds(1), untilDraw), Self.maximumWait))
        }
    }

    /// Blocks until a key, an urgent inbox item, or the timeout.
    private func wait(for timeout: Duration) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: inbox.wakeFD, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(clamping: Format.milliseconds(timeout))
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        if fds[1].revents != 0 { inbox.clearWake() }
    }
}

/// Why the dashboard could not run.
public struct DashboardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
