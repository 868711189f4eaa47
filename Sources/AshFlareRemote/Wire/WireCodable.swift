import AshFlare

/// A value with a JSON form on the wire (see docs/PROTOCOL.md).
protocol WireEncodable {
    /// Writes the value as one JSON value.
    func encode(to writer: inout JSONWriter)
}

/// A value that can be read from its JSON form on the wire.
protocol WireDecodable {
    /// Reads the value; `field` names it in error messages.
    init(from reader: inout JSONReader, field: String) throws(WireError)
}

/// A value with both directions.
typealias WireCodable = WireEncodable & WireDecodable

extension WireEncodable {
    /// The compact JSON form as bytes.
    var wireBytes: [UInt8] {
        var writer = JSONWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// The compact JSON form as text.
    var wireJSON: String { String(decoding: wireBytes, as: UTF8.self) }
}

extension WireDecodable {
    /// Decodes a whole JSON text.
    init(wireBytes bytes: [UInt8], maxDepth: Int = 512) throws(WireError) {
        self = try JSONReader.read(bytes, maxDepth: maxDepth) { reader throws(WireError) in
            try Self(from: &reader, field: "value")
        }
    }
}

/// A string-valued enumeration on the wire.
protocol WireEnumeration: RawRepresentable, WireCodable where RawValue == String {
    /// Every value, in the order of ``wireNames``.
    static var wireValues: [Self] { get }
    /// The names of ``wireValues``, as written on the wire.
    static var wireNames: [StaticString] { get }
}

extension WireEnumeration {
    func encode(to writer: inout JSONWriter) { writer.string(rawValue) }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        self = Self.wireValues[try reader.readName(field, among: Self.wireNames)]
    }
}

extension ChildPath: WireCodable {
    func encode(to writer: inout JSONWriter) { writer.string(description) }

    init(from reader: inout JSONReader, field: String) throws(WireError) {
        let text = try reader.readString(field)
        guard let path = ChildPath(parsing: text) else {
            throw .schema("field '\(field)' must be a path like 'root/db/pool' with no empty part (was '\(text)')")
        }
        self = path
    }
}

extension Array where Element: WireEncodable {
    /// Writes the elements as a JSON array.
    func encode(to writer: inout JSONWriter) {
        writer.array { writer in
            for element in self { element.encode(to: &writer) }
        }
    }
}

extension Array where Element: WireDecodable {
    /// Reads a JSON array of elements.
    init(from reader: inout JSONReader, field: String) throws(WireError) {
        var elements: [Element] = []
        try reader.readArray(field) { reader throws(WireError) in
            elements.append(try Element(from: &reader, field: field))
        }
        self = elements
    }
}

extension Array where Element == String {
    /// Writes strings as a JSON array.
    func encodeStrings(to writer: inout JSONWriter) {
        writer.array { writer in
            for element in self { writer.string(element) }
        }
    }

    /// Reads a JSON array of strings.
    init(strings reader: inout JSONReader, field: String) throws(WireError) {
        var elements: [String] = []
        try reader.readArray(field) { reader throws(WireError) in
            elements.append(try reader.readString(field))
        }
        self = elements
    }
}

/// Unwraps a required field after an object was read.
@inline(__always)
func required<T>(_ value: T?, _ field: String, in object: String) throws(WireError) -> T {
    guard let value else { throw .missing(field, in: object) }
    return value
}
