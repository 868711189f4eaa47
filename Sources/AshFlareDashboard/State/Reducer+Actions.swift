import AshFlare

extension Reducer {
    /// The fault-injection keys `x r t d a s` on the selected row.
    static func action(_ state: inout DashboardState, _ key: Character) -> [DashboardCommand] {
        let name = keyName(key)
        if state.options.readOnly {
            state.setStatus("read-only (--readonly): \(key) (\(name)) is disabled", .error)
            return []
        }
        let rows = state.visibleRows()
        guard let row = state.selectedRow(in: rows), let path = row.id.path,
              let node = state.nodes[row.id.node].model.node(at: path) ?? state.modelNode(row)
        else {
            state.setStatus("\(key) (\(name)): select a node of a tree first", .error)
            return []
        }
        let tree = state.nodes[row.id.node]
        guard tree.connection == .connected else {
            state.setStatus("\(key) (\(name)): \(tree.name) is not connected", .error)
            return []
        }
        let isRoot = path.parent == nil
        let verdict: Result<ControlAction, Refusal> = switch key {
        case "x": kill(node, isRoot: isRoot)
        case "r": restart(node, isRoot: isRoot)
        case "t": terminate(node, isRoot: isRoot)
        case "d": delete(node, isRoot: isRoot)
        case "s": shutdown(node)
        default: add(&state, row.id.node, node, in: tree.model)
        }
        switch verdict {
        case .failure(let refusal):
            if !refusal.message.isEmpty { state.setStatus(refusal.message, .error) }
            return []
        case .success(let action):
            let request = ControlRequest(
                id: state.nextRequestID, node: row.id.node, action: action, target: path, incarnation: node.incarnation)
            state.nextRequestID += 1
            if state.options.confirmDestructive && isDestructive(action) {
                state.overlay = .confirm(request)
                state.setStatus("\(prompt(request, node: node)) y/n")
                return []
            }
            state.setStatus("\(request.summary)…")
            return [.perform(request)]
        }
    }

    /// The reason an action key does nothing on the selected node.
    struct Refusal: Error {
        let message: String
    }

    private static func keyName(_ key: Character) -> String {
        switch key {
        case "x": "kill"
        case "r": "restart"
        case "t": "terminate"
        case "d": "delete"
        case "a": "add"
        default: "shut down"
        }
    }

    static func isDestructive(_ action: ControlAction) -> Bool {
        switch action {
        case .kill, .bounce, .terminate, .delete, .shutdown: true
        case .restart, .startChild: false
        }
    }

    /// The question a confirmation asks.
    public static func prompt(_ request: ControlRequest, node: ModelNode?) -> String {
        let policy = node.map { " Its restart policy (\($0.restartPolicy.rawValue)) applies." } ?? ""
        return switch request.action {
        case .kill: "Kill \(request.target) (#\(request.incarnation))?\(policy)"
        case .bounce: "Restart \(request.target) (#\(request.incarnation))? It is stopped first."
        case .terminate: "Terminate \(request.target) (#\(request.incarnation))? Its spec is kept, stopped."
        case .delete: "Delete \(request.target)? Its spec is removed."
        case .shutdown where request.target.parent == nil: "Shut down the whole tree \(request.target)?"
        case .shutdown: "Shut down the subtree \(request.target) (#\(request.incarnation))?"
        default: "\(request.summary)?"
        }
    }

    private static func kill(_ node: ModelNode, isRoot: Bool) -> Result<ControlAction, Refusal> {
        if isRoot { return .failure(Refusal(message: "x (kill): the root has no supervisor to restart it; s shuts the tree down")) }
        guard node.state.allows(.kill) else {
            return .failure(Refusal(message: "x (kill): \(node.path) is \(node.state), not running\(node.state.isActive ? "" : " (r restarts a stopped child)")"))
        }
        return .success(.kill)
    }

    private static func restart(_ node: ModelNode, isRoot: Bool) -> Result<ControlAction, Refusal> {
        if isRoot { return .failure(Refusal(message: "r (restart): the root cannot be restarted from here")) }
        // The engine's rule decides a plain restart; a running child is bounced (stopped, then started).
        if node.state.allows(.restart) { return .success(.restart) }
        switch node.state {
        case .running, .starting: return .success(.bounce)
        case .stopped, .failed, .abandoned: return .success(.restart)
        case .backingOff(let until):
            return .failure(Refusal(message: "r (restart): \(node.path) already restarts at +\(Format.stamp(until))s"))
        case .stopping: return .failure(Refusal(message: "r (restart): \(node.path) is stopping; try again in a moment"))
        }
    }

    private static func terminate(_ node: ModelNode, isRoot: Bool) -> Result<ControlAction, Refusal> {
        if isRoot { return .failure(Refusal(message: "t (terminate): use s to shut the whole tree down")) }
        switch node.state {
        case .stopped, .failed, .abandoned:
            return .failure(Refusal(message: "t (terminate): \(node.path) is already \(node.state)"))
        default:
            return .success(.terminate)
        }
    }

    private static func delete(_ node: ModelNode, isRoot: Bool) -> Result<ControlAction, Refusal> {
        if isRoot { return .failure(Refusal(message: "d (delete): the root cannot be deleted")) }
        guard node.state.allows(.delete) else {
            return .failure(Refusal(message: "d (delete): \(node.path) is \(node.state); terminate it first (t)"))
        }
        return .success(.delete)
    }

    private static func shutdown(_ node: ModelNode) -> Result<ControlAction, Refusal> {
        guard node.isSupervisor else {
            return .failure(Refusal(message: "s (shut down) works on a supervisor's subtree; t terminates a worker"))
        }
        guard node.state.isActive else { return .failure(Refusal(message: "s (shut down): \(node.path) is already \(node.state)")) }
        return .success(.shutdown)
    }

    /// `a`: opens the template picker for the selected supervisor (or the selected worker's).
    private static func add(_ state: inout DashboardState, _ tree: Int, _ node: ModelNode, in model: TreeModel) -> Result<ControlAction, Refusal> {
        let supervisor = node.isSupervisor ? node : node.parent.map { model.nodes[$0] }
        guard let supervisor, let details = supervisor.supervisor else {
            return .failure(Refusal(message: "a (add): no supervisor here"))
        }
        guard supervisor.state == .running else {
            return .failure(Refusal(message: "a (add): \(supervisor.path) is \(supervisor.state)"))
        }
        guard !details.templates.isEmpty else {
            return .failure(Refusal(message: "a (add): \(supervisor.path) has no worker templates"))
        }
        state.overlay = .picker(TemplatePicker(
            node: tree, supervisor: supervisor.path, incarnation: supervisor.incarnation, templates: details.templates))
        state.setStatus("add a child under \(supervisor.path): ↑↓ choose, Enter starts, Esc cancels")
        return .failure(Refusal(message: ""))
    }

    // MARK: Overlays

    static func confirm(_ state: inout DashboardState, _ request: ControlRequest, _ key: Key) -> [DashboardCommand] {
        switch key {
        case .character("y"), .character("Y"):
            state.overlay = nil
            state.setStatus("\(request.summary)…")
            return [.perform(request)]
        case .character("n"), .character("N"), .escape, .character("q"):
            state.overlay = nil
            state.setStatus("cancelled: \(request.action.verb) \(request.target)")
        default:
            state.setStatus("\(prompt(request, node: nil)) press y to confirm, n to cancel")
        }
        return []
    }

    static func pick(_ state: inout DashboardState, _ picker: TemplatePicker, _ key: Key) -> [DashboardCommand] {
        var picker = picker
        switch key {
        case .up, .character("k"):
            picker.selected = max(0, picker.selected - 1)
        case .down, .character("j"):
            picker.selected = min(picker.templates.count - 1, picker.selected + 1)
        case .escape, .character("q"):
            state.overlay = nil
            state.setStatus("cancelled: add")
            return []
        case .enter:
            let template = picker.templates[picker.selected]
            if template.parameters.isEmpty { return startChild(&state, picker, arguments: []) }
            state.overlay = .arguments(picker, text: "")
            state.setStatus("arguments for \(template.name): \(template.parameters.joined(separator: " ")) (space-separated, Enter starts)")
            return []
        default:
            return []
        }
        state.overlay = .picker(picker)
        return []
    }

    static func typeArguments(_ state: inout DashboardState, _ picker: TemplatePicker, _ text: String, _ key: Key) -> [DashboardCommand] {
        switch key {
        case .character(let character):
            state.overlay = .arguments(picker, text: text + String(character))
        case .backspace:
            state.overlay = .arguments(picker, text: String(text.dropLast()))
        case .escape:
            state.overlay = .picker(picker)
        case .enter:
            return startChild(&state, picker, arguments: text.split(separator: " ").map(String.init))
        default:
            break
        }
        return []
    }

    private static func startChild(_ state: inout DashboardState, _ picker: TemplatePicker, arguments: [String]) -> [DashboardCommand] {
        let request = ControlRequest(
            id: state.nextRequestID, node: picker.node,
            action: .startChild(template: picker.templates[picker.selected].name, arguments: arguments),
            target: picker.supervisor, incarnation: picker.incarnation)
        state.nextRequestID += 1
        state.overlay = nil
        state.setStatus("\(request.summary)…")
        return [.perform(request)]
    }
}
