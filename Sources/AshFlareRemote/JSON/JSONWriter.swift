/// Writes compact, single-line JSON into a byte array, field by field.
///
/// Hand-written rather than `JSONEncoder` for two reasons: the wire format is ours to state exactly
/// (key order, durations as integer nanoseconds, no escaped `/`), and a 1,111-node snapshot must
/// encode in well under a millisecond. The writer never emits a raw newline, so every value it
/// writes is a valid frame of the newline-delimited protocol.
struct JSONWriter: ~Copyable {
    /// The written bytes live in raw memory owned by the writer (`[UInt8].append` checks
    /// uniqueness on every call, and a class buffer costs a retain per call: both dominated
    /// encoding a 1,111-node snapshot of ~250 KB).
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether the next member or element needs a leading comma.
    private var needsComma = false

    /// Creates a writer with room for `capacity` bytes.
    init(capacity: Int = 256) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far (a copy).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes written so far, borrowed for the duration of `body`.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets what was written, keeping the storage.
    mutating func reset() {
        count = 0
        needsComma = false
    }

    // MARK: Bytes

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func append(contentsOf bytes: some Collection<UInt8>) {
        for byte in bytes { append(byte) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    // MARK: Structure

    /// Writes `{`, then `body`'s members, then `}`.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separator()
        append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`, then `body`'s elements, then `]`.
    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separator()
        append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name; the next value written is its value.
    mutating func key(_ name: StaticString) {
        separator()
        append(UInt8(ascii: "\""))
        name.withUTF8Buffer { append($0) }
        append(UInt8(ascii: "\""))
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a member name that is not known at compile time (escaped as a string).
    mutating func dynamicKey(_ name: String) {
        string(name)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separator() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    /// Writes a string, escaping `"`, `\` and control characters.
    mutating func string(_ value: String) {
        separator()
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(for: byte)
                start = index + 1
            }
            append(UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a string known to need no escaping (a member name or enumeration case).
    mutating func string(_ value: StaticString) {
        separator()
        append(UInt8(ascii: "\""))
        value.withUTF8Buffer { append($0) }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendEscape(for byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        default:
            func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
            append(UInt8(ascii: "u"))
            append(UInt8(ascii: "0"))
            append(UInt8(ascii: "0"))
            append(hex(byte >> 4))
            append(hex(byte & 0xF))
        }
    }

    /// Writes an unsigned integer.
    mutating func integer(_ value: UInt64) {
        separator()
        appendDigits(of: value)
        needsComma = true
    }

    /// Writes a signed integer.
    mutating func integer(_ value: Int64) {
        separator()
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDigits(of: value.magnitude)
        } else {
            appendDigits(of: UInt64(value))
        }
        needsComma = true
    }

    /// Writes an integer.
    mutating func integer(_ value: Int) { integer(Int64(value)) }

    /// Writes a duration as whole nanoseconds (sub-nanosecond parts are dropped).
    mutating func duration(_ value: Duration) {
        if value == .zero { return integer(UInt64(0)) }
        integer(value.wireNanoseconds)
    }

    /// Writes a finite number in its shortest round-tripping form; non-finite numbers become 0.
    mutating func number(_ value: Double) {
        guard value.isFinite else { return integer(0) }
        if value == value.rounded(), abs(value) < 1e15 {
            return integer(Int64(value))
        }
        separator()
        append(contentsOf: Array(value.description.utf8))
        needsComma = true
    }

    /// Writes a finite number so that it reads back as a fraction (`2.0`, not `2`); a
    /// non-finite number, which JSON cannot express, becomes `null`.
    mutating func fractional(_ value: Double) {
        guard value.isFinite else { return null() }
        separator()
        let text = value.description
        append(contentsOf: Array(text.utf8))
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
        }
        needsComma = true
    }

    /// Writes `true` or `false`.
    mutating func bool(_ value: Bool) {
        separator()
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { append($0) }
        needsComma = true
    }

    /// Writes `null`.
    mutating func null() {
        separator()
        ("null" as StaticString).withUTF8Buffer { append($0) }
        needsComma = true
    }

    /// Appends already-encoded JSON as one value.
    mutating func raw(_ json: some Collection<UInt8>) {
        separator()
        append(contentsOf: json)
        needsComma = true
    }

    private mutating func appendDigits(of value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        // At most 20 digits; fill from the end of a fixed buffer, then copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var index = 20
            var rest = value
            while rest > 0 {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 10)
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remainder)
                rest = quotient
            }
            append(UnsafeBufferPointer(rebasing: buffer[index..<20]))
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at the ends of `Int64`.
    var wireNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}
