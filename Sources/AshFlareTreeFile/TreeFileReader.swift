import AshFlare
import AshFlareProcess
import Yams

/// Turns the YAML nodes of one tree file into specs, checking every field; each problem is a
/// ``TreeFileError`` with the node's line and the field's path.
struct TreeFileReader {
    let file: String

    static let supervisorKeys: Set<String> = ["supervisor", "strategy", "intensity", "restart", "shutdown", "backoff", "children"]
    static let processKeys: Set<String> = [
        "id", "command", "restart", "shutdown", "backoff", "env", "inherit-env", "cwd", "ready", "max-line-bytes",
    ]

    func supervisor(_ node: Node, field: String) throws(TreeFileError) -> SupervisorSpec {
        let fields = try mapping(node, field: field, allowed: Self.supervisorKeys)
        let id = try string(try required(fields, "supervisor", in: node, field: field), field: join(field, "supervisor"))
        var spec = SupervisorSpec(id)
        if let strategy = fields["strategy"] {
            spec.strategy = try choice(strategy, field: join(field, "strategy"), among: [
                "one-for-one": .oneForOne, "one-for-all": .oneForAll, "rest-for-one": .restForOne,
            ])
        }
        if let intensity = fields["intensity"] { spec.intensity = try self.intensity(intensity, field: join(field, "intensity")) }
        let children = try required(fields, "children", in: node, field: field)
        guard case .sequence(let list) = children else { throw wrongType(children, field: join(field, "children"), expected: "a list of children") }
        var seen: [String: Int] = [:]
        for (index, child) in list.enumerated() {
            let childField = "\(join(field, "children"))[\(index)]"
            let childSpec = try self.child(child, field: childField)
            if let first = seen[childSpec.id] {
                throw error(child, field: childField, "duplicate id '\(childSpec.id)' (also children[\(first)])")
            }
            seen[childSpec.id] = index
            spec.children.append(childSpec)
        }
        return spec
    }

    private func child(_ node: Node, field: String) throws(TreeFileError) -> ChildSpec {
        guard case .mapping(let pairs) = node else { throw wrongType(node, field: field, expected: "a mapping (a process or a supervisor)") }
        let isSupervisor = pairs.contains { $0.key.string == "supervisor" }
        let fields = try mapping(node, field: field, allowed: isSupervisor ? Self.supervisorKeys : Self.processKeys)
        let restart = try fields["restart"].map { node throws(TreeFileError) in
            try choice(node, field: join(field, "restart"), among: ["permanent": RestartPolicy.permanent, "transient": .transient, "temporary": .temporary])
        }
        let shutdown = try fields["shutdown"].map { node throws(TreeFileError) in try self.shutdown(node, field: join(field, "shutdown")) }
        let backoff = try fields["backoff"].map { node throws(TreeFileError) in try self.backoff(node, field: join(field, "backoff")) }
        if isSupervisor {
            let nested = try supervisor(node, field: field)
            return .supervisor(nested, restart: restart ?? .permanent, shutdown: shutdown ?? .infinity, backoff: backoff ?? .none)
        }
        let idNode = try required(fields, "id", in: node, field: field)
        let id = try string(idNode, field: join(field, "id"))
        let process = try self.process(fields, node: node, field: field)
        do {
            return try ChildSpec.process(id, process, restart: restart ?? .permanent, shutdown: shutdown ?? .workerDefault, backoff: backoff ?? .default)
        } catch let failure {
            let culprit = failure.code == .badEnvironment ? "env" : failure.code == .badSpec ? "ready" : "command"
            throw error(fields[culprit] ?? node, field: join(field, culprit), failure.message)
        }
    }

    private func process(_ fields: [String: Node], node: Node, field: String) throws(TreeFileError) -> ProcessSpec {
        let commandNode = try required(fields, "command", in: node, field: field)
        let command: [String]
        switch commandNode {
        case .scalar: command = try string(commandNode, field: join(field, "command")).split(separator: " ").map(String.init)
        case .sequence(let items):
            command = try items.enumerated().map { index, item throws(TreeFileError) in try string(item, field: "\(join(field, "command"))[\(index)]") }
        default: throw wrongType(commandNode, field: join(field, "command"), expected: "a list of strings or a string")
        }
        guard let executable = command.first, !executable.isEmpty else { throw error(commandNode, field: join(field, "command"), "is empty") }
        var variables: [String: String] = [:]
        if let env = fields["env"] {
            guard case .mapping(let pairs) = env else { throw wrongType(env, field: join(field, "env"), expected: "a mapping of names to strings") }
            for (key, value) in pairs {
                let name = try string(key, field: join(field, "env"))
                variables[name] = try string(value, field: "\(join(field, "env")).\(name)")
            }
        }
        let inherit = try fields["inherit-env"].map { node throws(TreeFileError) in try bool(node, field: join(field, "inherit-env")) } ?? true
        var spec = ProcessSpec(
            executable, arguments: Array(command.dropFirst()),
            environment: inherit ? .inheriting(adding: variables) : .replacing(with: variables))
        if let cwd = fields["cwd"] { spec.workingDirectory = try string(cwd, field: join(field, "cwd")) }
        if let ready = fields["ready"] { spec.readiness = try readiness(ready, field: join(field, "ready")) }
        if let limit = fields["max-line-bytes"] { spec.maxLineBytes = try integer(limit, field: join(field, "max-line-bytes"), in: 1...(1 << 24)) }
        return spec
    }
}
