import AshFlare

// A context store's values are JSON on the wire as they are: null, booleans, integers, fractions
// (always written with a '.' or an exponent, so 2.0 stays a fraction), strings, arrays, and
// objects with their keys in sorted order.

extension ContextValue: WireCodable {
    func encode(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.integer(value)
        case .double(let value): writer.fractional(value)
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.array { writer in
                for value in values { value.encode(to: &writer) }
            }
        case .object(let members):
            ContextValue.encode(members, to: &writer)
        }
    }

    /// Writes an object's members in sorted key order.
    static func encode(_ members: [String: ContextValue], to writer: inout JSONWriter) {
        writer.object { writer in
            for key in members.keys.sorted() {
                writer.dynamicKey(key)
                members[key]!.encode(to: &writer)
            }
        }
    }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        switch reader.peekKind() {
        case .null:
            _ = try reader.readNull()
            self = .null
        case .bool: self = .bool(try reader.readBool(field))
        case .number:
            switch try reader.readNumber(field) {
            case .integer(let value): self = .int(value)
            case .double(let value): self = .double(value)
            }
        case .string: self = .string(try reader.readString(field))
        case .array: self = .array(try [ContextValue](from: &reader, field: field))
        case .object: self = .object(try Self.members(from: &reader, field: field))
        case nil: throw .type(of: field, expected: "a JSON value", found: nil)
        }
    }

    /// Reads an object's members.
    static func members(from reader: inout JSONReader, field: String) throws(WireError) -> [String: ContextValue] {
        var members: [String: ContextValue] = [:]
        try reader.readObject(field) { reader, key throws(WireError) in
            members[key.name] = try ContextValue(from: &reader, field: key.name)
        }
        return members
    }
}
