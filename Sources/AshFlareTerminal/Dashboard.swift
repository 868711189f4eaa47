import AshFlare
// Re-exported: `Dashboard.run(nodes: [DashboardNode(…)])` needs only `import AshFlareTerminal`.
@_exported import AshFlareDashboard
#if canImport(Glibc)
import Glibc
#endif

/// The live terminal dashboard: watch trees, inject faults by keypress.
///
/// ```swift
/// let tree = try await SupervisorHandle.start(spec)
/// try await Dashboard.run(nodes: [DashboardNode(name: "shop", control: tree)])
/// ```
/// `flare top --connect …` passes one ``DashboardNode`` per remote node; each is shown as its own
/// tree and reconnected when lost.
public enum Dashboard {
    /// Runs the dashboard until `q`, Ctrl-C, SIGTERM, SIGHUP or cancellation of the calling task.
    ///
    /// The terminal is restored on every way out. While it runs nothing else may write to
    /// stdout or stderr (route logs to a file).
    /// - Parameters:
    ///   - nodes: The trees to show, local or remote.
    ///   - options: Behaviour and looks, including the application's ``CustomKey``s.
    ///   - onCustomKey: Runs when one of `options.customKeys` is pressed (off the terminal
    ///     thread); its outcome is shown in the status line, the log and the header badge.
    ///   - recorder: What `R` records the selected tree with (`AshFlareRecording`'s
    ///     `FileRecorder`); without one, `R` says recording is not available.
    /// - Returns: Why it ended: `"q"`, `"SIGINT"`, `"SIGTERM"`, `"SIGHUP"` or `"cancelled"`.
    /// - Throws: ``DashboardError`` when a custom or remapped key collides with a built-in key
    ///   (see ``DashboardOptions/validate()``), stdin or stdout is not a terminal, or curses cannot start.
    @discardableResult
    public static func run(
        nodes: [DashboardNode],
        options: DashboardOptions = DashboardOptions.fromEnvironment(environment),
        onCustomKey: @escaping @Sendable (Character) async -> CustomKeyOutcome? = { _ in nil },
        recorder: (any DashboardRecorder)? = nil
    ) async throws -> String {
        var adjusted = options
        adjusted.canRecord = recorder != nil
        let options = adjusted
        do { try options.validate() } catch { throw DashboardError(error.message) }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DashboardError("the dashboard needs a terminal on stdin and stdout; use --once for a plain-text frame")
        }
        guard !nodes.isEmpty else { throw DashboardError("no trees to show") }
        let inbox = Inbox()
        let feeds = nodes.enumerated().map { NodeFeed(node: $1, index: $0, sink: inbox) }
        let (commands, commandSink) = AsyncStream.makeStream(of: DashboardCommand.self)
        let signals = SignalWatcher { inbox.quit($0) }
        defer { signals.stop() }
        let loop = TerminalLoop(names: nodes.map(\.name), options: options, inbox: inbox) { commandSink.yield($0) }
        let outcome = await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group -> Result<String, DashboardError> in
                for feed in feeds { group.addTask { await feed.run() } }
                group.addTask {
                    await withDiscardingTaskGroup { running in
                        var logTask: Task<Void, Never>?
                        var recordTask: Task<Void, Never>?
                        defer { logTask?.cancel() }
                        for await command in commands {
                            switch command {
                            case .startRecording(let node) where feeds.indices.contains(node) && recordTask == nil:
                                guard let recorder, let control = feeds[node].currentControl else {
                                    inbox.post(.recording(file: nil, message: "not recording: \(nodes[node].name) is not connected", succeeded: false))
                                    continue
                                }
                                let name = nodes[node].name
                                let directory = options.saveDirectory
                                recordTask = Task {
                                    do {
                                        let summary = try await recorder.record(tree: name, control: control, directory: directory) { path in
                                            inbox.post(.recording(file: path, message: "recording \(name) to \(path) (R stops)", succeeded: true))
                                        }
                                        inbox.post(.recording(file: nil, message: summary, succeeded: true))
                                    } catch {
                                        inbox.post(.recording(file: nil, message: "recording stopped: \(error)", succeeded: false))
                                    }
                                }
                            case .stopRecording:
                                recordTask?.cancel()
                                await recordTask?.value
                                recordTask = nil
                            case .followLog(let node, let path) where feeds.indices.contains(node):
                                logTask?.cancel()
                                let control = feeds[node].currentControl
                                logTask = Task { await LogFollower.follow(node: node, path: path, control: control, inbox: inbox) }
                            case .readPreviousLog(let node, let path) where feeds.indices.contains(node):
                                logTask?.cancel()
                                let control = feeds[node].currentControl
                                logTask = Task { await LogFollower.readPrevious(node: node, path: path, control: control, inbox: inbox) }
                            case .stopLog:
                                logTask?.cancel()
                                logTask = nil
                            case .saveFile(let path, let text):
                                running.addTask { LogFollower.save(text, to: path, inbox: inbox) }
                            case .perform(let request) where feeds.indices.contains(request.node):
                                running.addTask { inbox.post(.result(await feeds[request.node].perform(request))) }
                            case .refresh(let node) where feeds.indices.contains(node):
                                feeds[node].requestSnapshot()
                            case .readLog(let node, let path) where feeds.indices.contains(node):
                                running.addTask {
                                    if let lines = await feeds[node].logLines(of: path, limit: DetailLog.lineCount) {
                                        inbox.post(.childLog(node: node, path: path, lines: lines))
                                    }
                                }
                            case .custom(let character):
                                running.addTask {
                                    if let outcome = await onCustomKey(character) { inbox.post(.custom(outcome)) }
                                }
                            default:
                                break
                            }
                        }
                        // Leaving: a recording writes its last lines before the dashboard returns.
                        recordTask?.cancel()
                        await recordTask?.value
                    }
                }
                let outcome = await TerminalThread.run { loop.run() }
                commandSink.finish()
                group.cancelAll()
                return outcome
            }
        } onCancel: {
            inbox.quit("cancelled")
        }
        return try outcome.get()
    }

    /// Replays a recording in the dashboard (`flare replay`): `state` comes from
    /// ``DashboardState/init(replaying:options:)``; the tree as it was, with a timeline (space
    /// plays and pauses, `.` and `,` step one event, `+` `-` change the speed, `t` jumps to a time
    /// or a percentage). Read-only; returns like ``run(nodes:options:onCustomKey:recorder:)``.
    @discardableResult
    public static func replay(_ state: DashboardState) async throws -> String {
        do { try state.options.validate() } catch { throw DashboardError(error.message) }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DashboardError("the replay needs a terminal on stdin and stdout; use --once for a plain-text frame")
        }
        let inbox = Inbox()
        let signals = SignalWatcher { inbox.quit($0) }
        defer { signals.stop() }
        let loop = TerminalLoop(names: state.nodes.map(\.name), options: state.options, inbox: inbox, dispatch: { command in
            if case .saveFile(let path, let text) = command { LogFollower.save(text, to: path, inbox: inbox) }
        }, initialState: state)
        let outcome = await withTaskCancellationHandler {
            await TerminalThread.run { loop.run() }
        } onCancel: {
            inbox.quit("cancelled")
        }
        return try outcome.get()
    }

    /// This process's environment (for ``DashboardOptions/fromEnvironment(_:base:)``).
    public static var environment: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }

    /// The terminal's size if stdout is a terminal, else `COLUMNS`/`LINES`, else `fallback`.
    public static func terminalSize(fallback: (width: Int, height: Int) = (100, 32)) -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        let env = environment
        if let columns = env["COLUMNS"].flatMap(Int.init), let lines = env["LINES"].flatMap(Int.init) { return (columns, lines) }
        return fallback
    }
}
