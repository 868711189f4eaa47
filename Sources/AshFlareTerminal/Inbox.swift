import AshFlare
import AshFlareDashboard

#if canImport(Glibc)
import Glibc
#endif

/// The one way into the terminal thread: feeds, command results and signals post here; the
/// terminal thread drains it. Urgent items also write a byte to a pipe the thread polls, so it
/// wakes at once; events wait for the next frame.
final class Inbox: FeedSink {
    /// What the terminal thread receives.
    enum Item: Sendable {
        /// An update for the dashboard state.
        case update(FeedUpdate)
        /// Leave: a signal, cancellation or the end of a bounded run.
        case quit(String)
    }

    private struct State {
        var items: [Item] = []
        var pendingEvents = 0
        var droppedUpTo: [Int: UInt64] = [:]
    }

    /// Beyond this many undelivered events the oldest are dropped and the model resynchronises.
    static let eventLimit = 100_000

    private let state = Locked(State())
    /// The end of the wake pipe the terminal thread polls.
    let wakeFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        }
        wakeFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(wakeFD)
        close(writeFD)
    }

    func post(_ update: FeedUpdate) {
        state.withLock { $0.items.append(.update(update)) }
        wake()
    }

    func post(event: SupervisorEvent, node: Int) {
        state.withLock { state in
            if state.pendingEvents >= Self.eventLimit {
                // The terminal thread is not keeping up: drop and let the model resynchronise.
                state.items.removeAll { item in
                    if case .update(.events) = item { return true }
                    return false
                }
                state.pendingEvents = 0
                let lagged = SupervisorEvent(sequence: event.sequence, time: event.time, kind: .lagged(missed: UInt64(Self.eventLimit)))
                state.items.append(.update(.events(node: node, [lagged])))
                return
            }
            state.pendingEvents += 1
            if case .update(.events(let last, _)) = state.items.last, last == node,
               case .update(.events(_, var events)) = state.items.removeLast() {
                events.append(event)
                state.items.append(.update(.events(node: node, events)))
            } else {
                state.items.append(.update(.events(node: node, [event])))
            }
        }
    }

    /// Delivers one line (or, with `line` nil, a gap of `missed` lines) of the log the logs pane
    /// follows, merged with the lines still undelivered; beyond ``logLimit`` undelivered lines
    /// the oldest are dropped and counted as missed. Does not wake the terminal thread: lines
    /// are drawn with the next frame.
    func postLog(node: Int, path: ChildPath, line: LogLine?, missed: UInt64) {
        state.withLock { state in
            if case .update(.logLines(let lastNode, let lastPath, var lines, var lost)) = state.items.last,
               lastNode == node, lastPath == path {
                state.items.removeLast()
                if let line { lines.append(line) }
                lost += missed
                if lines.count > Self.logLimit {
                    lost += UInt64(lines.count - Self.logLimit)
                    lines.removeFirst(lines.count - Self.logLimit)
                }
                state.items.append(.update(.logLines(node: node, path: path, lines: lines, missed: lost)))
            } else {
                state.items.append(.update(.logLines(node: node, path: path, lines: line.map { [$0] } ?? [], missed: missed)))
            }
        }
    }

    /// Beyond this many undelivered log lines the oldest are dropped (the pane holds fewer).
    static let logLimit = 20_000

    /// Asks the terminal thread to leave.
    func quit(_ reason: String) {
        state.withLock { $0.items.append(.quit(reason)) }
        wake()
    }

    /// Takes everything posted so far.
    func drain() -> [Item] {
        state.withLock { state in
            defer {
                state.items.removeAll(keepingCapacity: true)
                state.pendingEvents = 0
            }
            return state.items
        }
    }

    /// Empties the wake pipe.
    func clearWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &buffer, buffer.count) > 0 {}
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }
}
