import AshFlare

extension SupervisorEvents.Iterator {
    /// The next event whose kind satisfies `predicate`, skipping the others; nil when the stream ends.
    public mutating func next(where predicate: (SupervisorEvent.Kind) -> Bool) async -> SupervisorEvent? {
        while let event = await next() {
            if predicate(event.kind) { return event }
        }
        return nil
    }

    /// The kind of the next event, or nil when the stream ends.
    public mutating func nextKind() async -> SupervisorEvent.Kind? { await next()?.kind }

    /// The kinds of the next `count` events (fewer if the stream ends).
    public mutating func nextKinds(_ count: Int) async -> [SupervisorEvent.Kind] {
        var kinds: [SupervisorEvent.Kind] = []
        while kinds.count < count, let event = await next() { kinds.append(event.kind) }
        return kinds
    }

    /// Skips events until one satisfies `predicate`; returns the skipped and matching kinds.
    public mutating func kinds(through predicate: (SupervisorEvent.Kind) -> Bool) async -> [SupervisorEvent.Kind] {
        var kinds: [SupervisorEvent.Kind] = []
        while let event = await next() {
            kinds.append(event.kind)
            if predicate(event.kind) { break }
        }
        return kinds
    }
}

extension SupervisorEvent.Kind {
    /// Whether this is `childStarted` for `path` (with `incarnation`, if given).
    public func isStarted(_ path: ChildPath, incarnation: UInt64? = nil) -> Bool {
        guard case .childStarted(let p, let i) = self else { return false }
        return p == path && (incarnation == nil || incarnation == i)
    }

    /// Whether this is `childExited` for `path`.
    public func isExited(_ path: ChildPath) -> Bool {
        guard case .childExited(let p, _, _) = self else { return false }
        return p == path
    }
}
