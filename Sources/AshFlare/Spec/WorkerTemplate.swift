/// A named way to make a child from arguments at runtime (OTP's `{M,F,A}`).
///
/// Templates let a client that holds no Swift closure — the dashboard's "add child" key, the
/// remote `start` operation, the `flare start` command — start a child by name:
/// ```swift
/// let fetcher = WorkerTemplate("fetcher", summary: "polls a URL", parameters: ["url", "interval-ms"]) { request in
///     let url = try request.argument(0, named: "url")
///     let interval = try request.integer(1, named: "interval-ms", default: 1000)
///     return .worker(request.id, restart: .transient) { Fetcher(url: url, every: .milliseconds(interval)) }
/// }
/// let spec = SupervisorSpec("root") { … }.withTemplates([fetcher])
/// let path = try await tree.startChild(template: "fetcher", arguments: ["https://example.com"], under: "root")
/// ```
public struct WorkerTemplate: Sendable {
    /// The name clients use; unique within a supervisor.
    public var name: String
    /// One line for people choosing a template.
    public var summary: String
    /// The names of the positional arguments, for help and pickers.
    public var parameters: [String]
    let make: @Sendable (TemplateRequest) throws -> ChildSpec

    /// Creates a template; `make` turns a request into the child spec, throwing
    /// ``TemplateArgumentError`` for bad arguments.
    public init(
        _ name: String, summary: String = "", parameters: [String] = [],
        make: @escaping @Sendable (TemplateRequest) throws -> ChildSpec
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }

    /// What a snapshot shows about this template.
    public var info: TemplateInfo { TemplateInfo(name: name, summary: summary, parameters: parameters) }
}

/// A request to make a child from a template: the id chosen for it and the arguments given.
public struct TemplateRequest: Sendable {
    /// The id the new child must have (``ChildSpec/id``).
    public let id: ChildID
    /// The positional arguments.
    public let arguments: [String]

    /// Creates a request.
    public init(id: ChildID, arguments: [String]) {
        self.id = id
        self.arguments = arguments
    }

    /// The argument at `index`; throws if it is missing.
    public func argument(_ index: Int, named name: String) throws(TemplateArgumentError) -> String {
        guard index < arguments.count else { throw TemplateArgumentError("missing argument \(index + 1) (\(name))") }
        return arguments[index]
    }

    /// The argument at `index` as an integer, or `defaultValue` when it is absent.
    public func integer(_ index: Int, named name: String, default defaultValue: Int? = nil) throws(TemplateArgumentError) -> Int {
        guard index < arguments.count else {
            guard let defaultValue else { throw TemplateArgumentError("missing argument \(index + 1) (\(name))") }
            return defaultValue
        }
        guard let value = Int(arguments[index]) else {
            throw TemplateArgumentError("argument \(index + 1) (\(name)) must be an integer (was '\(arguments[index])')")
        }
        return value
    }
}

/// Thrown by a template for arguments it cannot use; becomes a `badArguments` ``SupervisorError``.
public struct TemplateArgumentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, naming the argument.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A template as snapshots and clients see it.
public struct TemplateInfo: Hashable, Sendable {
    /// The template's name.
    public var name: String
    /// One line describing it.
    public var summary: String
    /// The names of its positional arguments.
    public var parameters: [String]

    /// Creates a template description.
    public init(name: String, summary: String, parameters: [String]) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }
}

extension SupervisorSpec {
    /// Returns a copy offering `templates` for starting children at runtime.
    public func withTemplates(_ templates: [WorkerTemplate]) -> SupervisorSpec {
        var copy = self
        copy.templates.append(contentsOf: templates)
        return copy
    }
}
