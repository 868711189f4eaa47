/// Why a frame could not be decoded: its JSON is malformed, or it is JSON of the wrong shape.
struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which of the two it is.
    enum Kind: Hashable, Sendable {
        /// Not JSON: the protocol's `invalidJSON`.
        case syntax
        /// JSON, but a field is missing, has the wrong type or an unknown value: `badRequest`.
        case schema
        /// A request naming an operation that does not exist: `unknownOp`.
        case unknownOp
    }

    /// Which kind of failure.
    var kind: Kind
    /// What was wrong, naming the field or byte offset.
    var message: String

    /// A syntax error at a byte offset.
    static func syntax(_ message: String, at offset: Int) -> WireError {
        WireError(kind: .syntax, message: "\(message) at byte \(offset)")
    }

    /// A schema error.
    static func schema(_ message: String) -> WireError {
        WireError(kind: .schema, message: message)
    }

    /// A field with a value of the wrong type.
    static func type(of field: String, expected: String, found: JSONKind?) -> WireError {
        .schema("field '\(field)' must be \(expected) (was \(found?.description ?? "nothing"))")
    }

    /// A required field that is absent.
    static func missing(_ field: String, in object: String) -> WireError {
        .schema("\(object) is missing the field '\(field)'")
    }

    var description: String { message }
}

/// The kinds of JSON value, for error messages and dispatch.
enum JSONKind: Hashable, Sendable, CustomStringConvertible {
    case object, array, string, number, bool, null

    var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
