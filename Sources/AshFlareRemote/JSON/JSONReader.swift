/// A pull parser for one JSON text: the caller walks objects and arrays and reads typed values.
///
/// Decoding goes straight from bytes into the wire types with no intermediate tree, which keeps a
/// large snapshot's decode allocation-light. The parser is strict (RFC 8259: no comments, no
/// trailing commas, no raw control characters, valid UTF-8) and bounds nesting with `maxDepth`,
/// so hostile input can neither crash it nor exhaust the stack.
///
/// A reader borrows its bytes: make one only through ``read(_:maxDepth:_:)``.
struct JSONReader {
    private let base: UnsafeRawBufferPointer
    private(set) var index = 0
    private var depth = 0
    private let maxDepth: Int

    private init(base: UnsafeRawBufferPointer, maxDepth: Int) {
        self.base = base
        self.maxDepth = maxDepth
    }

    /// Parses exactly one JSON value from `bytes` with `body`, then checks nothing but whitespace follows.
    static func read<T>(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64, _ body: (inout JSONReader) throws(WireError) -> T
    ) throws(WireError) -> T {
        var reader = JSONReader(base: bytes, maxDepth: maxDepth)
        let value = try body(&reader)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw .syntax("unexpected data after the JSON value", at: reader.index) }
        return value
    }

    /// Parses a JSON value held in an array.
    static func read<T>(
        _ bytes: [UInt8], maxDepth: Int = 64, _ body: (inout JSONReader) throws(WireError) -> T
    ) throws(WireError) -> T {
        let result: Result<T, WireError> = bytes.withUnsafeBytes { raw in
            Result { () throws(WireError) -> T in try read(raw, maxDepth: maxDepth, body) }
        }
        return try result.get()
    }

    /// A reader for the bytes of `range` (as returned by ``skipValue()``) of the same text.
    func subreader(_ range: Range<Int>) -> JSONReader {
        var reader = JSONReader(base: UnsafeRawBufferPointer(rebasing: base[..<range.upperBound]), maxDepth: maxDepth)
        reader.index = range.lowerBound
        reader.depth = depth
        return reader
    }

    // MARK: Containers

    /// Reads an object, calling `body` with each member's key; `body` must read or skip the value.
    mutating func readObject(
        _ field: String, _ body: (inout JSONReader, JSONKey) throws(WireError) -> Void
    ) throws(WireError) {
        guard peekKind() == .object else { throw .type(of: field, expected: "an object", found: peekKind()) }
        try enter()
        index += 1
        skipWhitespace()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard byte() == UInt8(ascii: "\"") else { throw .syntax("expected a member name", at: index) }
            let key = try readKey()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw .syntax("expected ':' after a member name", at: index) }
            skipWhitespace()
            try body(&self, key)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { break }
            throw .syntax("expected ',' or '}' in an object", at: index)
        }
        depth -= 1
    }

    /// Reads an array, calling `body` once per element; `body` must read or skip the element.
    mutating func readArray(_ field: String, _ body: (inout JSONReader) throws(WireError) -> Void) throws(WireError) {
        guard peekKind() == .array else { throw .type(of: field, expected: "an array", found: peekKind()) }
        try enter()
        index += 1
        skipWhitespace()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { break }
            throw .syntax("expected ',' or ']' in an array", at: index)
        }
        depth -= 1
    }

    private mutating func enter() throws(WireError) {
        depth += 1
        guard depth <= maxDepth else { throw .syntax("nesting deeper than \(maxDepth) levels", at: index) }
    }

    // MARK: Scalars

    /// What kind of value comes next, or `nil` if none can start here.
    @inline(__always)
    mutating func peekKind() -> JSONKind? {
        skipWhitespace()
        guard let next = byte() else { return nil }
        switch next {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Consumes `null` and returns true if it comes next.
    mutating func readNull() throws(WireError) -> Bool {
        guard peekKind() == .null else { return false }
        try expectLiteral("null")
        return true
    }

    /// Reads a string.
    mutating func readString(_ field: String) throws(WireError) -> String {
        guard peekKind() == .string else { throw .type(of: field, expected: "a string", found: peekKind()) }
        return try parseString()
    }

    /// Reads a string that must be one of `names` and returns its index, without allocating a
    /// string in the common case.
    /// - Throws: A schema error listing `names` (and `also`, other accepted forms) otherwise.
    mutating func readName(_ field: String, among names: [StaticString], also: String = "") throws(WireError) -> Int {
        guard peekKind() == .string else { throw .type(of: field, expected: "a string", found: peekKind()) }
        let quote = index
        if let (end, ascii) = scanPlainString(), ascii {
            let length = end - (quote + 1)
            for (position, name) in names.enumerated() where name.utf8CodeUnitCount == length {
                let equal = name.withUTF8Buffer { expected in
                    var offset = 0
                    while offset < length, base[quote + 1 + offset] == expected[offset] { offset += 1 }
                    return offset == length
                }
                if equal { return position }
            }
        }
        index = quote
        let text = try parseString()
        if let position = names.firstIndex(where: { $0.description == text }) { return position }
        let listed = names.map(\.description).joined(separator: ", ") + also
        throw .schema("field '\(field)' must be one of \(listed) (was '\(text)')")
    }

    /// Reads `true` or `false`.
    mutating func readBool(_ field: String) throws(WireError) -> Bool {
        guard peekKind() == .bool else { throw .type(of: field, expected: "a boolean", found: peekKind()) }
        if byte() == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads a non-negative integer that fits `UInt64`.
    mutating func readUInt64(_ field: String) throws(WireError) -> UInt64 {
        let (negative, magnitude) = try readInteger(field, expected: "a non-negative integer")
        guard !negative || magnitude == 0 else {
            throw .schema("field '\(field)' must be a non-negative integer (was negative)")
        }
        return magnitude
    }

    /// Reads an integer that fits `Int64`.
    mutating func readInt64(_ field: String) throws(WireError) -> Int64 {
        let (negative, magnitude) = try readInteger(field, expected: "an integer")
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw .schema("field '\(field)' is out of range") }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw .schema("field '\(field)' is out of range") }
        return Int64(magnitude)
    }

    /// Reads an integer that fits `Int`.
    mutating func readInt(_ field: String) throws(WireError) -> Int {
        Int(try readInt64(field))
    }

    /// Reads a duration given as integer nanoseconds.
    mutating func readDuration(_ field: String) throws(WireError) -> Duration {
        .nanoseconds(try readInt64(field))
    }

    /// Reads any number.
    mutating func readDouble(_ field: String) throws(WireError) -> Double {
        guard peekKind() == .number else { throw .type(of: field, expected: "a number", found: peekKind()) }
        let span = try scanNumber()
        if span.isInteger, span.integerDigits.count < 16 {
            var value: Int64 = 0
            for position in span.integerDigits { value = value * 10 + Int64(base[position] - UInt8(ascii: "0")) }
            return Double(span.negative ? -value : value)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: base[span.range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .schema("field '\(field)' is out of range") }
        return value
    }

    /// A number as JSON wrote it: an integer (no fraction, no exponent, fits `Int64`) or not.
    enum Number: Equatable {
        case integer(Int64)
        case double(Double)
    }

    /// Reads any number, keeping integers exact.
    mutating func readNumber(_ field: String) throws(WireError) -> Number {
        guard peekKind() == .number else { throw .type(of: field, expected: "a number", found: peekKind()) }
        let start = index
        let span = try scanNumber()
        if span.isInteger {
            var probe = subreader(start..<index)
            if let value = try? probe.readInt64(field) { return .integer(value) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: base[span.range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .schema("field '\(field)' is out of range") }
        return .double(value)
    }

    /// Skips one value of any kind, validating it; returns its byte range.
    @discardableResult
    mutating func skipValue() throws(WireError) -> Range<Int> {
        skipWhitespace()
        let start = index
        switch peekKind() {
        case .object: try readObject("value") { reader, _ throws(WireError) in try reader.skipValue() }
        case .array: try readArray("value") { reader throws(WireError) in try reader.skipValue() }
        case .string: try skipString()
        case .number: _ = try scanNumber()
        case .bool: _ = try readBool("value")
        case .null: _ = try readNull()
        case nil: throw index < base.count ? .syntax("unexpected character", at: index) : .syntax("unexpected end of data", at: index)
        }
        return start..<index
    }

    // MARK: Lexing

    @inline(__always)
    private func byte() -> UInt8? {
        index < base.count ? base[index] : nil
    }

    @inline(__always)
    private mutating func consume(_ expected: UInt8) -> Bool {
        guard index < base.count, base[index] == expected else { return false }
        index += 1
        return true
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < base.count {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(WireError) {
        let length = literal.utf8CodeUnitCount
        guard index + length <= base.count else { throw .syntax("unexpected end of data", at: index) }
        let matches = literal.withUTF8Buffer { expected in
            (0..<length).allSatisfy { base[index + $0] == expected[$0] }
        }
        guard matches else { throw .syntax("invalid literal", at: index) }
        index += length
    }

    private struct NumberSpan {
        var range: Range<Int>
        var negative: Bool
        var integerDigits: Range<Int>
        var isInteger: Bool
    }

    /// Scans a number per the JSON grammar.
    private mutating func scanNumber() throws(WireError) -> NumberSpan {
        let start = index
        let negative = consume(UInt8(ascii: "-"))
        let digitsStart = index
        guard let first = byte(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw .syntax("invalid number", at: index)
        }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        let digitsEnd = index
        var isInteger = true
        if consume(UInt8(ascii: ".")) {
            isInteger = false
            guard skipDigits() > 0 else { throw .syntax("invalid number", at: index) }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            isInteger = false
            _ = consume(UInt8(ascii: "+")) || consume(UInt8(ascii: "-"))
            guard skipDigits() > 0 else { throw .syntax("invalid number", at: index) }
        }
        return NumberSpan(range: start..<index, negative: negative, integerDigits: digitsStart..<digitsEnd, isInteger: isInteger)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while index < base.count, base[index] >= UInt8(ascii: "0"), base[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func readInteger(_ field: String, expected: String) throws(WireError) -> (negative: Bool, magnitude: UInt64) {
        guard peekKind() == .number else { throw .type(of: field, expected: expected, found: peekKind()) }
        // One pass: scan and accumulate; anything but a plain integer falls back to the grammar.
        let start = index
        let negative = consume(UInt8(ascii: "-"))
        var value: UInt64 = 0
        var digits = 0
        var overflow = false
        while index < base.count {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            overflow = overflow || overflow1 || overflow2
            value = sum
            digits += 1
            index += 1
        }
        let next = index < base.count ? base[index] : 0
        let plain = digits > 0 && next != UInt8(ascii: ".") && next != UInt8(ascii: "e") && next != UInt8(ascii: "E")
            && !(digits > 1 && base[negative ? start + 1 : start] == UInt8(ascii: "0"))
        if !plain {
            index = start
            let span = try scanNumber()
            guard span.isInteger else { throw .schema("field '\(field)' must be \(expected) (was a fraction)") }
        }
        guard !overflow else { throw .schema("field '\(field)' is out of range") }
        return (negative, value)
    }

    private mutating func readKey() throws(WireError) -> JSONKey {
        let start = index + 1
        if let end = scanPlainString(), end.ascii { return JSONKey(base: base, range: start..<end.end, decoded: nil) }
        index = start - 1
        return JSONKey(base: base, range: start..<start, decoded: try parseString())
    }

    /// Scans a string without escapes; returns the end of its content (and whether it is all
    /// ASCII) and moves past the closing quote, or returns nil (leaving `index` anywhere) if the
    /// string has escapes or is unterminated.
    private mutating func scanPlainString() -> (end: Int, ascii: Bool)? {
        index += 1
        var ascii = true
        while index < base.count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (index - 1, ascii)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    private mutating func skipString() throws(WireError) {
        _ = try parseString()
    }

    /// Parses a string, decoding escapes and validating UTF-8.
    private mutating func parseString() throws(WireError) -> String {
        let open = index
        let start = index + 1
        if let (end, ascii) = scanPlainString() {
            let bytes = UnsafeRawBufferPointer(rebasing: base[start..<end])
            // ASCII is valid UTF-8: skip the (unspecialised, slow) validating initialiser.
            if ascii { return String(decoding: bytes, as: UTF8.self) }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .syntax("invalid UTF-8 in a string", at: start)
            }
            return text
        }
        index = start
        var decoded: [UInt8] = []
        decoded.reserveCapacity(32)
        while true {
            guard let byte = byte() else { throw .syntax("unterminated string", at: open) }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw .syntax("invalid UTF-8 in a string", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                try decodeEscape(into: &decoded)
            case ..<0x20:
                throw .syntax("unescaped control character in a string", at: index - 1)
            default:
                decoded.append(byte)
            }
        }
    }

    private mutating func decodeEscape(into decoded: inout [UInt8]) throws(WireError) {
        guard let escaped = byte() else { throw .syntax("unterminated escape", at: index) }
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                    throw .syntax("unpaired surrogate in a string", at: index)
                }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .syntax("unpaired surrogate in a string", at: index) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw .syntax("unpaired surrogate in a string", at: index)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .syntax("invalid escape", at: index) }
            decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw .syntax("invalid escape", at: index - 1)
        }
    }

    private mutating func readHex4() throws(WireError) -> UInt32 {
        guard index + 4 <= base.count else { throw .syntax("unterminated escape", at: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = base[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax("invalid \\u escape", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
