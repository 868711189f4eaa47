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
            // After every event emitted before the ping was read: a client can sync on it.
            outbox.send(.reply(id: request.id, .empty), after: try? await context.tree.lastEventSequence())
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

    /// Runs a request and queues its reply behind the events it caused (see ``Outbox/send(_:after:)``).
    private func perform(_ request: WireRequest) async {
        if case .subscribe = request.operation {
            do {
                try await subscribe(request.id)
            } catch {
                outbox.send(replyFrame(for: request, failure: error))
            }
            return
        }
        if case .followLogs(let path, let backlog) = request.operation {
            do {
                try await followLog(request.id, path: path, backlog: backlog)
            } catch {
                outbox.send(replyFrame(for: request, failure: error))
            }
            return
        }
        let frame: ServerFrame
        var barrier: UInt64?
        do {
            let result = try await run(request.operation)
            if case .snapshot(let snapshot) = result { barrier = snapshot.sequence }
            frame = .reply(id: request.id, result)
        } catch {
            frame = replyFrame(for: request, failure: error)
        }
        if case .shutdown = request.operation {
            // After the last events of every subscription and their end frames.
            barrier = .max
        } else if barrier == nil {
            barrier = try? await context.tree.lastEventSequence()
        }
        outbox.send(frame, after: barrier)
    }

    private func run(_ operation: WireRequest.Operation) async throws -> WireResult {
        let tree = context.tree
        switch operation {
        case .snapshot: return .snapshot(try await tree.snapshot())
        case .logs(let path, let scope, let limit): return .logTail(try await tree.logTail(of: path, scope: scope, limit: limit))
        case .whichChildren(let path): return .children(try await tree.whichChildren(of: path))
        case .countChildren(let path): return .counts(try await tree.countChildren(of: path))
        case .kill(let path, let execution):
            audit(operation, path)
            if let execution { try await tree.kill(path, ifExecution: execution) } else { try await tree.kill(path) }
        case .terminate(let path, let execution):
            audit(operation, path)
            if let execution { try await tree.terminate(path, ifExecution: execution) } else { try await tree.terminate(path) }
        case .restart(let path, let execution):
            audit(operation, path)
            if let execution { try await tree.restart(path, ifExecution: execution) } else { try await tree.restart(path) }
        case .delete(let path, let execution):
            audit(operation, path)
            if let execution { try await tree.delete(path, ifExecution: execution) } else { try await tree.delete(path) }
        case .startChild(let supervisor, let template, let arguments):
            audit(operation, supervisor)
            return .started(try await tree.startChild(template: template, arguments: arguments, under: supervisor))
        case .shutdown:
            audit(operation, context.root)
            try await tree.shutdown()
        case .hello, .ping, .subscribe, .unsubscribe, .followLogs:
            break
        }
        return .empty
    }

    /// The error reply for `error`; engine messages that name the Swift API are restated in the
    /// wire's terms.
    private func replyFrame(for request: WireRequest, failure error: any Error) -> ServerFrame {
        switch error {
        case let error as SupervisorError where error.code == .rootSupervisor:
            let message = "'\(context.root)' is the root supervisor: '\(request.operation.name)' needs a child of a supervisor; "
                + "send 'shutdown' to stop the whole tree"
            return .error(id: request.id, code: error.code.name, message: message)
        case let error as SupervisorError:
            return .error(id: request.id, code: error.code.name, message: error.message)
        case let error as RemoteError:
            return .error(id: request.id, error)
        default:
            return .error(id: request.id, RemoteError(.internalError, "\(error)"))
        }
    }

    private func audit(_ operation: WireRequest.Operation, _ path: ChildPath) {
        var metadata: Logger.Metadata = ["remote.op": "\(operation.name)", "remote.path": "\(path)"]
        switch operation {
        case .kill(_, let execution?), .terminate(_, let execution?), .restart(_, let execution?), .delete(_, let execution?):
            metadata["remote.ifExecution"] = "\(execution)"
        default:
            break
        }
        logger.info("control request", metadata: metadata)
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

    /// Whether another subscription fits on this connection; if not, answers request `id` so.
    func hasRoomForSubscription(_ id: UInt64) -> Bool {
        guard outbox.subscriptionCount < context.limits.maxSubscriptions else {
            refuseSubscription(id)
            return false
        }
        return true
    }

    private func refuseSubscription(_ id: UInt64) {
        outbox.send(.error(id: id, RemoteError(
            .tooManySubscriptions, "more than \(context.limits.maxSubscriptions) subscriptions on this connection")))
    }

    /// Opens subscription `id` in the outbox (its events forwarded up to `sequence` so far), or
    /// answers the request why not; whether it opened.
    func openSubscription(_ id: UInt64, after sequence: UInt64) -> Bool {
        switch outbox.openSubscription(id, after: sequence, limit: context.limits.maxSubscriptions) {
        case .opened:
            return true
        case .duplicate:
            outbox.send(.error(id: id, RemoteError(.badRequest, "subscription \(id) is already open on this connection")))
            return false
        case .limitReached:
            refuseSubscription(id)
            return false
        }
    }

    private func subscribe(_ id: UInt64) async throws {
        guard hasRoomForSubscription(id) else { return }
        let observation = try await context.tree.observe()
        guard openSubscription(id, after: observation.snapshot.sequence) else { return }
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
        endPump(subscription, reason: ServerFrame.treeStopped)
    }

    /// Ends a pump that ran out (tree stopped, log ended): the `end` frame, then the pump forgotten.
    func endPump(_ subscription: UInt64, reason: String) {
        outbox.closeSubscription(subscription, with: .end(subscription: subscription, reason: reason))
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
