/// A child's log lines for one follower, in order, across restarts; ends when the child is
/// removed or the tree stops.
///
/// The follower reads from the ring itself, so it costs the child nothing: a follower that
/// falls behind by more than the ring holds receives ``ChildLogEntry/lagged(missed:)`` and then the
/// oldest line still held. Remote transports wrap their own stream with ``init(_:)``.
public struct ChildLogLines: AsyncSequence, Sendable {
    public typealias Element = ChildLogEntry

    enum Source: Sendable {
        case local(ChildLog, from: UInt64)
        case stream(AsyncStream<ChildLogEntry>)
    }

    let source: Source

    init(log: ChildLog, from sequence: UInt64) { source = .local(log, from: sequence) }

    /// Wraps a transport's stream of entries (e.g. the remote client's). Where the stream
    /// skipped lines (its buffer overflowed), the iterator reports ``ChildLogEntry/lagged(missed:)``.
    public init(_ stream: AsyncStream<ChildLogEntry>) { source = .stream(stream) }

    /// Creates an async iterator.
    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .local(let log, let sequence): Iterator(base: .local(log, cursor: sequence))
        case .stream(let stream): Iterator(base: .stream(stream.makeAsyncIterator(), expected: nil))
        }
    }

    /// Iterates the entries.
    public struct Iterator: AsyncIteratorProtocol {
        enum Base {
            case local(ChildLog, cursor: UInt64)
            /// `expected`: the next line's number, once a line was seen.
            case stream(AsyncStream<ChildLogEntry>.Iterator, expected: UInt64?)
        }

        var base: Base
        /// A line held back while the gap before it is reported.
        var pending: ChildLogEntry?

        /// The next entry, or nil once the log has ended (or the task was cancelled).
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async -> ChildLogEntry? {
            switch base {
            case .local(let log, let cursor):
                guard let (entry, next) = await log.entry(at: cursor) else { return nil }
                base = .local(log, cursor: next)
                return entry
            case .stream(var iterator, let expected):
                if let pending {
                    self.pending = nil
                    return pending
                }
                let entry = await iterator.next(isolation: actor)
                switch entry {
                case .line(let line)?:
                    base = .stream(iterator, expected: line.sequence + 1)
                    if let expected, line.sequence > expected {
                        pending = entry
                        return .lagged(missed: line.sequence - expected)
                    }
                case .lagged?, nil:
                    base = .stream(iterator, expected: nil)
                }
                return entry
            }
        }
    }
}
