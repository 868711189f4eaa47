/// A member name of a JSON object, compared against known names without allocating.
struct JSONKey {
    let base: UnsafeRawBufferPointer
    let range: Range<Int>
    let decoded: String?

    /// Whether the name is `name`.
    @inline(__always)
    func matches(_ name: StaticString) -> Bool {
        if let decoded { return decoded == name.description }
        guard name.utf8CodeUnitCount == range.count else { return false }
        return name.withUTF8Buffer { expected in
            var offset = 0
            while offset < expected.count {
                if base[range.lowerBound + offset] != expected[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// The name as a string (for messages).
    var name: String {
        decoded ?? String(decoding: UnsafeRawBufferPointer(rebasing: base[range]), as: UTF8.self)
    }

    /// Pattern-matches a key against a literal name: `case "id":`.
    static func ~= (pattern: StaticString, key: JSONKey) -> Bool { key.matches(pattern) }
}
