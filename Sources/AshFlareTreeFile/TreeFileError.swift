/// A tree file that cannot be used, with where and why: `tree.yaml:12: children[1].restart:
/// expected permanent, transient or temporary (was 'sometimes')`.
public struct TreeFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's path as given.
    public let file: String
    /// The 1-based line of the offending node, when known.
    public let line: Int?
    /// The field's path in the file, such as `children[1].restart`.
    public let field: String
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `FILE:LINE: FIELD: MESSAGE`.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
