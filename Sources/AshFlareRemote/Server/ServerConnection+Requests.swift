import AshFlare
import Logging
import NIOCore

// Requests and subscriptions of a connection, after the handshake.
extension ServerConnection {
    func dispatch(_ decoded: Result<WireRequest, WireRequest.Failure>, permission: RemotePermission) async {
        let request: WireRequest
        switch decoded {
        case .failure(let failure):
            outbox.send(.error(id: failure.id, code: failure.code.name, message: failure.message))
            return
        case .success(let value):
            request = value
        }
        let operation = request.operation
        guard permission >= operation.requiredPermission else {
            logger.info("permission denied", metadata: ["remote.op": "\(operation.name)", "remote.permission": "\(permission)"])
            outbox.send(.error(id: request.id, RemoteError(
                .permissionDenied, "'\(operation.name)' needs \(operation.requiredPermission) permission; this connection has \(permission)")))
            return
        }
        switch operation {
        case .hello:
            outbox.send(.error(id: request.id, RemoteError(.badRequest, "hello was already received on this connection")))
        case .ping:
            outbox.send(.reply(id: request.id, .empty))
        case .unsubscribe(let subscription):
            unsubscribe(subscription, request: request.id)
        default:
            // At the limit, stop reading until a request ends: the client feels backpressure
            // through its socket instead of an error.
            await acquireRequestSlot()
            // Not a child task: a tree operation may outlive its connection (a terminate that
            // waits on an infinite shutdown policy), and a closing connection must not wait for it.
            // Cheap operations stay on the event loop (no thread hop before and after the tree
            // answers); those that build large results or run user code go to the pool, so they
            // never hold up the loop's other connections.
            Task(executorPreference: operation.isCheap ? executor : globalConcurrentExecutor) {
                await self.perform(request)
                self.endRequest()
            }
        }
    }

    // MARK: Requests

    private func perform(_ request: WireRequest) async {
        let tree = context.tree
        do {
            let result: WireResult
            switch request.operation {
            case .snapshot: result = .snapshot(try await tree.snapshot())
            case .subscribe:
                try await subscribe(request.id)
                return
            case .logs(let path, let scope, let limit): result = .logTail(try await tree.logTail(of: path, scope: scope, limit: limit))
            case .followLogs(let path, let backlog):
                try await followLog(request.id, path: path, backlog: backlog)
                return
            case .whichChildren(let path): result = .children(try await tree.whichChildren(of: path))
            case .countChildren(let path): result = .counts(try await tree.countChildren(of: path))
            case .kill(let path):
                audit(request.operation, path)
                try await tree.kill(path)
                result = .empty
            case .terminate(let path):
                audit(request.operation, path)
                try await tree.terminate(path)
                result = .empty
            case .restart(let path):
                audit(request.operation, path)
                try await tree.restart(path)
                result = .empty
            case .delete(let path):
                audit(request.operation, path)
                try await tree.delete(path)
                result = .empty
            case .startChild(let supervisor, let template, let arguments):
                audit(request.operation, supervisor)
                result = .started(try await tree.startChild(template: template, arguments: arguments, under: supervisor))
            case .shutdown:
                audit(request.operation, context.root)
                try await tree.shutdown()
                result = .empty
            case .hello, .ping, .unsubscribe:
                result = .empty
            }
            outbox.send(.reply(id: request.id, result))
        } catch let error as SupervisorError {
            outbox.send(.error(id: request.id, code: error.code.name, message: error.message))
        } catch let error as RemoteError {
            outbox.send(.error(id: request.id, error))
        } catch {
            outbox.send(.error(id: request.id, RemoteError(.internalError, "\(error)")))
        }
    }

    private func audit(_ operation: WireRequest.Operation, _ path: ChildPath) {
        logger.info("control request", metadata: ["remote.op": "\(operation.name)", "remote.path": "\(path)"])
    }

    private func acquireRequestSlot() async {
        let limit = context.limits.maxRequestsInFlight
        while !state.withLock({ $0.beginRequest(limit: limit) }) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let free = state.withLock { state -> Bool in
                    guard state.inFlight >= limit else { return true }
                    state.slotWaiter = continuation
                    return false
                }
                if free { continuation.resume() }
            }
        }
    }

    private func endRequest() {
        let now = context.clock.now()
        for waiter in state.withLock({ $0.endRequest(at: now) }) { waiter.resume() }
    }

    func waitForRequests() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                if state.inFlight == 0 || state.isClosing { return true }
                state.idleWaiter = continuation
                return false
            }
            if idle { continuation.resume() }
        }
    }

    // MARK: Subscriptions

    private func subscribe(_ id: UInt64) async throws {
        guard outbox.subscriptionCount < context.limits.maxSubscriptions else {
            outbox.send(.error(id: id, RemoteError(
                .tooManySubscriptions, "more than \(context.limits.maxSubscriptions) subscriptions on this connection")))
            return
        }
        let observation = try await context.tree.observe()
        switch outbox.openSubscription(id, limit: context.limits.maxSubscriptions) {
        case .opened: break
        case .duplicate:
            outbox.send(.error(id: id, RemoteError(.badRequest, "subscription \(id) is already open on this connection")))
            return
        case .limitReached:
            outbox.send(.error(id: id, RemoteError(
                .tooManySubscriptions, "more than \(context.limits.maxSubscriptions) subscriptions on this connection")))
            return
        }
        // The reply is queued before the first event can be.
        outbox.send(.reply(id: id, .subscribed(observation.snapshot)))
        logger.debug("subscribed", metadata: ["remote.subscription": "\(id)"])
        let events = observation.events
        state.withLock { state in
            // Registered under the lock the pump takes when it ends, so it cannot end first.
            guard !state.isClosing else { return }
            state.pumps[id] = Task { await self.pump(events, subscription: id) }
        }
    }

    /// Forwards one subscription's events until the tree stops, the client unsubscribes or the
    /// connection closes. Never waits for the client: a full backlog drops the connection.
    private func pump(_ events: SupervisorEvents, subscription: UInt64) async {
        var scratch = JSONWriter(capacity: 256)
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next() {
            if case .lagged = event.kind {
                return dropSlowConsumer(subscription)
            }
            switch outbox.sendEvent(event, subscription: subscription, scratch: &scratch) {
            case .queued: continue
            case .closed: return
            case .overflow: return dropSlowConsumer(subscription)
            }
        }
        // Cancelled: whoever cancelled (unsubscribe, connection end) has already unregistered it.
        guard !Task.isCancelled else { return }
        outbox.closeSubscription(subscription, with: .end(subscription: subscription, reason: ServerFrame.treeStopped))
        let now = context.clock.now()
        state.withLock { state in
            state.pumps[subscription] = nil
            state.lastActivity = now
        }
    }

    /// Opens a log subscription: the reply, then the pump's log frames.
    private func followLog(_ id: UInt64, path: ChildPath, backlog: Int) async throws {
        guard outbox.subscriptionCount < context.limits.maxSubscriptions else {
            outbox.send(.error(id: id, RemoteError(
                .tooManySubscriptions, "more than \(context.limits.maxSubscriptions) subscriptions on this connection")))
            return
        }
        let lines = try await context.tree.followLog(of: path, backlog: backlog)
        switch outbox.openSubscription(id, limit: context.limits.maxSubscriptions) {
        case .opened: break
        case .duplicate:
            outbox.send(.error(id: id, RemoteError(.badRequest, "subscription \(id) is already open on this connection")))
            return
        case .limitReached:
            outbox.send(.error(id: id, RemoteError(
                .tooManySubscriptions, "more than \(context.limits.maxSubscriptions) subscriptions on this connection")))
            return
        }
        outbox.send(.reply(id: id, .empty))
        logger.debug("following log", metadata: ["remote.subscription": "\(id)", "remote.path": "\(path)"])
        state.withLock { state in
            guard !state.isClosing else { return }
            state.pumps[id] = Task { await self.pumpLog(lines, subscription: id) }
        }
    }

    /// Forwards a followed log's lines until the log ends, the client unsubscribes or the
    /// connection closes. Unlike events, a client that reads slowly is not dropped: the pump
    /// waits until the socket takes writes again, the child's ring moves on meanwhile, and the
    /// client gets a `lagged` frame saying how many lines it missed. The child never waits.
    private func pumpLog(_ lines: ChildLogLines, subscription: UInt64) async {
        var scratch = JSONWriter(capacity: 256)
        var iterator = lines.makeAsyncIterator()
        while true {
            await outbox.waitUntilWritable()
            guard let entry = await iterator.next() else { break }
            guard outbox.sendLog(entry, subscription: subscription, scratch: &scratch) else { return }
        }
        guard !Task.isCancelled else { return }
        outbox.closeSubscription(subscription, with: .end(subscription: subscription, reason: ServerFrame.logEnded))
        let now = context.clock.now()
        state.withLock { state in
            state.pumps[subscription] = nil
            state.lastActivity = now
        }
    }

    private func dropSlowConsumer(_ subscription: UInt64) {
        closeNow(RemoteError(
            .slowConsumer,
            "subscription \(subscription) fell more than \(context.limits.maxEventBacklog) events behind; closing"))
    }

    private func unsubscribe(_ subscription: UInt64, request: UInt64) {
        let pump = state.withLock { $0.pumps.removeValue(forKey: subscription) }
        // Closing in the outbox first guarantees no event of it follows the reply.
        guard outbox.closeSubscription(subscription) else {
            outbox.send(.error(id: request, RemoteError(.unknownSubscription, "no open subscription \(subscription)")))
            return
        }
        pump?.cancel()
        outbox.send(.reply(id: request, .empty))
    }

    func cancelSubscriptions() {
        let pumps = state.withLock { state -> [Task<Void, Never>] in
            defer { state.pumps.removeAll() }
            return Array(state.pumps.values)
        }
        for pump in pumps { pump.cancel() }
    }
}
