import AshFlare

/// The filter (`/`) parsed into terms; a node matches when every term matches.
///
/// Terms are separated by spaces:
/// - `pool`: the node's id contains `pool` (ignoring case);
/// - `state:backoff` or a bare state word (`running`, `starting`, `backoff`, `stopping`,
///   `stopped`, `failed`, `abandoned`): the node is in that state; `down` means stopped, failed
///   or abandoned; `trouble` means ``Trouble`` applies to it;
/// - `name:failed`: the id contains `failed` (for a name that is also a state word);
/// - `/pool-[0-9]+/` or `re:pool-[0-9]+`: the id matches the regular expression (ignoring case);
/// - `!term`: the node does *not* match `term` (`!running`).
///
/// A regular expression that does not compile is left out (it matches everything) and named in
/// ``errors``, so a half-typed pattern never hides the tree.
public struct FilterQuery {
    /// One condition on a node.
    public enum Condition {
        /// The id contains this text (lower case).
        case name(String)
        /// The node is in one of these states.
        case state(StateClass)
        /// The node is in trouble (see ``Trouble``).
        case trouble
        /// The id matches this expression.
        case pattern(Regex<AnyRegexOutput>)
    }

    /// A term: a condition, maybe negated.
    public struct Term {
        /// What it tests.
        public var condition: Condition
        /// Whether it is inverted (`!`).
        public var negated: Bool
    }

    /// The terms, in the order typed.
    public private(set) var terms: [Term] = []
    /// Terms that could not be used, with why: `/(/ is not a regular expression`.
    public private(set) var errors: [String] = []

    /// Whether the filter shows everything.
    public var isEmpty: Bool { terms.isEmpty }

    /// The first plain name term, for highlighting the match in names.
    public var highlight: String? {
        for term in terms where !term.negated { if case .name(let text) = term.condition { return text } }
        return nil
    }

    /// Whether any term needs the node's trouble (so the caller computes it).
    public var needsTrouble: Bool {
        terms.contains { if case .trouble = $0.condition { true } else { false } }
    }

    /// Parses `text`.
    public init(_ text: String) {
        for word in text.split(separator: " ") {
            var body = Substring(word)
            let negated = body.hasPrefix("!")
            if negated { body = body.dropFirst() }
            guard !body.isEmpty else { continue }
            switch Self.condition(String(body)) {
            case .success(let condition): terms.append(Term(condition: condition, negated: negated))
            case .failure(let error): errors.append(error.message)
            }
        }
    }

    /// Whether `node` passes every term; `trouble` is only read for a `trouble` term.
    public func matches(_ node: ModelNode, trouble: @autoclosure () -> Trouble?) -> Bool {
        for term in terms where test(term.condition, node, trouble: trouble) == term.negated { return false }
        return true
    }

    private func test(_ condition: Condition, _ node: ModelNode, trouble: () -> Trouble?) -> Bool {
        switch condition {
        case .name(let text): node.lowercasedID.contains(text)
        case .state(let states): states.contains(node.state)
        case .trouble: trouble() != nil
        case .pattern(let regex): (try? regex.firstMatch(in: node.id)) != nil
        }
    }

    private struct ParseError: Error {
        let message: String
    }

    private static func condition(_ term: String) -> Result<Condition, ParseError> {
        let lowered = term.lowercased()
        if lowered.hasPrefix("name:") { return .success(.name(String(lowered.dropFirst(5)))) }
        if lowered.hasPrefix("state:") {
            let word = String(lowered.dropFirst(6))
            if word == "trouble" { return .success(.trouble) }
            guard let states = StateClass(word) else {
                return .failure(ParseError(message: "state:\(word) is not a state (\(StateClass.words.joined(separator: ", ")), trouble)"))
            }
            return .success(.state(states))
        }
        if lowered == "trouble" { return .success(.trouble) }
        if let states = StateClass(lowered) { return .success(.state(states)) }
        var pattern: String?
        if lowered.hasPrefix("re:") { pattern = String(term.dropFirst(3)) }
        if term.count >= 2, term.hasPrefix("/"), term.hasSuffix("/") { pattern = String(term.dropFirst().dropLast()) }
        if let pattern {
            do {
                return .success(.pattern(try Regex(pattern).ignoresCase()))
            } catch {
                return .failure(ParseError(message: "\(term) is not a regular expression"))
            }
        }
        return .success(.name(lowered))
    }
}

/// A set of child states a filter word names: `backoff`, `down`, …
public struct StateClass: Sendable {
    private let test: @Sendable (ChildState) -> Bool

    /// The words a filter understands.
    public static let words = ["running", "starting", "backoff", "stopping", "stopped", "failed", "abandoned", "down", "up"]

    /// The class a word names, or nil.
    public init?(_ word: String) {
        switch word {
        case "running": test = { $0 == .running }
        case "starting": test = { $0 == .starting }
        case "backoff", "backingoff", "backing-off": test = { if case .backingOff = $0 { true } else { false } }
        case "stopping": test = { $0 == .stopping }
        case "stopped": test = { $0 == .stopped }
        case "failed": test = { $0 == .failed }
        case "abandoned": test = { $0 == .abandoned }
        case "down": test = { $0 == .stopped || $0 == .failed || $0 == .abandoned }
        case "up": test = { $0.isActive }
        default: return nil
        }
    }

    /// Whether `state` belongs to the class.
    public func contains(_ state: ChildState) -> Bool { test(state) }
}
