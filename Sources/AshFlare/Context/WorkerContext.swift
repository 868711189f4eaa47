import Synchronization

/// A key→value store shared by the workers below a supervisor, surviving their restarts
/// (the Rust crate's `WorkerContext`).
///
/// Give a supervisor a store with ``SupervisorSpec/withContext(_:)``; every worker below it
/// receives it as ``ChildContext/store``. A nested supervisor without a store of its own shares
/// its parent's; one with ``SupervisorSpec/withContext(_:)`` gets its own.
///
/// Every operation is atomic; ``update(_:_:)`` and ``compareAndSet(_:expected:to:)`` let many
/// tasks change one key without losing updates. ``changes(bufferSize:)`` streams every change.
public final class WorkerContext: Sendable {
    private struct State {
        var values: [String: ContextValue] = [:]
        var subscribers: [Int: AsyncStream<ContextChange>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let state: Locked<State>

    /// Creates a store holding `initial`.
    public init(_ initial: [String: ContextValue] = [:]) {
        state = Locked(State(values: initial))
    }

    /// The value for `key`, if any.
    public func get(_ key: String) -> ContextValue? { state.withLock { $0.values[key] } }

    /// Reads the value for `key` without copying it out of the lock.
    public func withValue<R: Sendable>(_ key: String, _ body: (ContextValue?) throws -> R) rethrows -> R {
        try state.withLock { try body($0.values[key]) }
    }

    /// Sets `key` to `value`.
    public func set(_ key: String, _ value: ContextValue) {
        mutate(key) { _ in value }
    }

    /// Removes `key`; returns the value it had.
    @discardableResult
    public func delete(_ key: String) -> ContextValue? {
        mutate(key) { _ in nil }.old
    }

    /// Atomically replaces the value for `key` with `transform(old)`; returning nil deletes it.
    /// - Returns: The new value.
    @discardableResult
    public func update(_ key: String, _ transform: (ContextValue?) throws -> ContextValue?) rethrows -> ContextValue? {
        try mutate(key, transform).new
    }

    /// Sets `key` to `new` only if its value is `expected` (nil: absent); returns whether it did.
    @discardableResult
    public func compareAndSet(_ key: String, expected: ContextValue?, to new: ContextValue?) -> Bool {
        var swapped = false
        mutate(key) { old in
            guard old == expected else { return old }
            swapped = true
            return new
        }
        return swapped
    }

    /// Whether `key` has a value.
    public func contains(_ key: String) -> Bool { state.withLock { $0.values[key] != nil } }

    /// How many keys have values.
    public var count: Int { state.withLock { $0.values.count } }

    /// Whether the store is empty.
    public var isEmpty: Bool { count == 0 }

    /// The keys, sorted.
    public var keys: [String] { state.withLock { $0.values.keys.sorted() } }

    /// Every key and value at one instant.
    public var values: [String: ContextValue] { state.withLock { $0.values } }

    /// Every change from now on, in order; a subscriber more than `bufferSize` changes behind
    /// loses the oldest.
    public func changes(bufferSize: Int = 1024) -> AsyncStream<ContextChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ContextChange.self, bufferingPolicy: .bufferingNewest(max(1, bufferSize)))
        // No onTermination handler taking the lock (see EventHub): ended subscribers are
        // dropped by the next change.
        state.withLock { state in
            state.nextSubscriber += 1
            state.subscribers[state.nextSubscriber] = continuation
        }
        return stream
    }

    @discardableResult
    private func mutate(
        _ key: String, _ transform: (ContextValue?) throws -> ContextValue?
    ) rethrows -> (old: ContextValue?, new: ContextValue?) {
        try state.withLock { state in
            let old = state.values[key]
            let new = try transform(old)
            guard new != old else { return (old, new) }
            state.values[key] = new
            let change = ContextChange(key: key, oldValue: old, newValue: new)
            var ended: [Int] = []
            for (id, continuation) in state.subscribers {
                if case .terminated = continuation.yield(change) { ended.append(id) }
            }
            for id in ended { state.subscribers.removeValue(forKey: id) }
            return (old, new)
        }
    }
}

/// One change of a ``WorkerContext`` key.
public struct ContextChange: Hashable, Sendable {
    /// The key that changed.
    public var key: String
    /// Its value before (nil: absent).
    public var oldValue: ContextValue?
    /// Its value after (nil: deleted).
    public var newValue: ContextValue?

    /// Creates a change.
    public init(key: String, oldValue: ContextValue?, newValue: ContextValue?) {
        self.key = key
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
