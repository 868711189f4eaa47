import AshFlare
import AshFlareProcess
import Yams

extension TreeFileReader {
    func error(_ node: Node, field: String, _ message: String) -> TreeFileError {
        TreeFileError(file: file, line: node.mark.map { $0.line }, field: field, message: message)
    }

    func wrongType(_ node: Node, field: String, expected: String) -> TreeFileError {
        let found: String = switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
        return error(node, field: field, "expected \(expected) (was \(found))")
    }

    func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }

    /// The mapping's fields by key; an unknown key is an error naming it.
    func mapping(_ node: Node, field: String, allowed: Set<String>) throws(TreeFileError) -> [String: Node] {
        guard case .mapping(let pairs) = node else { throw wrongType(node, field: field, expected: "a mapping") }
        var fields: [String: Node] = [:]
        for (key, value) in pairs {
            let name = try string(key, field: field)
            guard allowed.contains(name) else {
                throw error(key, field: join(field, name), "unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
            fields[name] = value
        }
        return fields
    }

    func required(_ fields: [String: Node], _ key: String, in node: Node, field: String) throws(TreeFileError) -> Node {
        guard let value = fields[key] else { throw error(node, field: join(field, key), "missing") }
        return value
    }

    func string(_ node: Node, field: String) throws(TreeFileError) -> String {
        guard case .scalar(let scalar) = node else { throw wrongType(node, field: field, expected: "a string") }
        return scalar.string
    }

    func bool(_ node: Node, field: String) throws(TreeFileError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw wrongType(node, field: field, expected: "true or false") }
        return value
    }

    func integer(_ node: Node, field: String, in range: ClosedRange<Int>) throws(TreeFileError) -> Int {
        guard case .scalar = node, let value = node.int else { throw wrongType(node, field: field, expected: "an integer") }
        guard range.contains(value) else { throw error(node, field: field, "must be within \(range.lowerBound)...\(range.upperBound) (was \(value))") }
        return value
    }

    func choice<T>(_ node: Node, field: String, among names: KeyValuePairs<String, T>) throws(TreeFileError) -> T {
        let text = try string(node, field: field)
        guard let found = names.first(where: { $0.key == text }) else {
            throw error(node, field: field, "expected \(names.map(\.key).joined(separator: ", ")) (was '\(text)')")
        }
        return found.value
    }

    /// `5s`, `250ms`, `1.5s`, `2m`, `100us`, or a number of seconds.
    func duration(_ node: Node, field: String) throws(TreeFileError) -> Duration {
        let text = try string(node, field: field)
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        if let unit = units.first(where: { text.hasSuffix($0.0) }) {
            number = number.dropLast(unit.0.count)
            scale = unit.1
        }
        guard let value = Double(number), value >= 0, value.isFinite else {
            throw error(node, field: field, "expected a duration such as 5s, 250ms or 2m (was '\(text)')")
        }
        return .nanoseconds(Int64((value * scale * 1e9).rounded()))
    }

    func shutdown(_ node: Node, field: String) throws(TreeFileError) -> ShutdownPolicy {
        switch node.string {
        case "brutal": .brutal
        case "infinity": .infinity
        default: .timeout(try duration(node, field: field))
        }
    }

    func backoff(_ node: Node, field: String) throws(TreeFileError) -> Backoff {
        if node.string == "none" { return .none }
        let fields = try mapping(node, field: field, allowed: ["initial", "max", "jitter", "reset-after"])
        let initial = try fields["initial"].map { n throws(TreeFileError) in try duration(n, field: join(field, "initial")) } ?? .milliseconds(100)
        let maximum = try fields["max"].map { n throws(TreeFileError) in try duration(n, field: join(field, "max")) } ?? .seconds(30)
        let jitter = try fields["jitter"].map { n throws(TreeFileError) -> Double in
            guard let value = n.float, (0...1).contains(value) else { throw error(n, field: join(field, "jitter"), "expected a number within 0...1") }
            return value
        } ?? 0
        let reset = try fields["reset-after"].map { n throws(TreeFileError) in try duration(n, field: join(field, "reset-after")) }
        return Backoff(initial: initial, maximum: maximum, jitter: jitter, resetAfter: reset)
    }

    func intensity(_ node: Node, field: String) throws(TreeFileError) -> RestartIntensity {
        let fields = try mapping(node, field: field, allowed: ["max-restarts", "within"])
        let maxRestarts = try integer(try required(fields, "max-restarts", in: node, field: field), field: join(field, "max-restarts"), in: 0...1_000_000)
        let within = try duration(try required(fields, "within", in: node, field: field), field: join(field, "within"))
        return RestartIntensity(maxRestarts: maxRestarts, within: within)
    }

    func readiness(_ node: Node, field: String) throws(TreeFileError) -> Readiness {
        if node.string == "spawned" { return .spawned }
        let fields = try mapping(node, field: field, allowed: ["line", "tcp", "unix", "timeout"])
        let timeout = try fields["timeout"].map { n throws(TreeFileError) in try duration(n, field: join(field, "timeout")) } ?? .seconds(30)
        if let line = fields["line"] { return .outputLine(matching: try string(line, field: join(field, "line")), timeout: timeout) }
        if let tcp = fields["tcp"] {
            if tcp.int != nil { return .tcpPort(UInt16(try integer(tcp, field: join(field, "tcp"), in: 1...65535)), timeout: timeout) }
            let text = try string(tcp, field: join(field, "tcp"))
            guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
                throw error(tcp, field: join(field, "tcp"), "expected a port or HOST:PORT (was '\(text)')")
            }
            return .tcpPort(port, host: String(text[..<colon]), timeout: timeout)
        }
        if let unix = fields["unix"] { return .unixSocket(try string(unix, field: join(field, "unix")), timeout: timeout) }
        throw error(node, field: field, "expected spawned, or a mapping with line, tcp or unix (and timeout)")
    }
}
