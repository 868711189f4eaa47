@testable import AshFlareRemote
import Foundation
import Testing

/// The hand-written JSON reader against Foundation's `JSONSerialization` on random documents:
/// both must agree on which texts are JSON, and on the values of those that are.
@Suite("JSON reader against Foundation")
struct JSONDifferentialTests {
    /// A JSON value in a form both parsers can be compared in. Booleans are numbers 1 and 0,
    /// since Foundation on Linux hands both back as `NSNumber`.
    indirect enum Value: Equatable, CustomStringConvertible {
        case null, number(Double), string(String), array([Value]), object([String: Value])

        var description: String {
            switch self {
            case .null: "null"
            case .number(let value): "\(value)"
            case .string(let value): value.debugDescription
            case .array(let values): "[\(values.map(\.description).joined(separator: ","))]"
            case .object(let members): "{\(members.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription):\($0.value)" }.joined(separator: ","))}"
            }
        }
    }

    /// A small deterministic generator (SplitMix64), so a failure names a reproducible seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func ours(_ bytes: [UInt8]) -> Value? {
        try? JSONReader.read(bytes, maxDepth: 64) { reader throws(WireError) in try parse(&reader) }
    }

    static func parse(_ reader: inout JSONReader) throws(WireError) -> Value {
        switch reader.peekKind() {
        case .object:
            var members: [String: Value] = [:]
            try reader.readObject("value") { reader, key throws(WireError) in members[key.name] = try parse(&reader) }
            return .object(members)
        case .array:
            var values: [Value] = []
            try reader.readArray("value") { reader throws(WireError) in values.append(try parse(&reader)) }
            return .array(values)
        case .string: return .string(try reader.readString("value"))
        case .number: return .number(try reader.readDouble("value"))
        case .bool: return .number(try reader.readBool("value") ? 1 : 0)
        case .null:
            _ = try reader.readNull()
            return .null
        case nil: throw .syntax("no value", at: reader.index)
        }
    }

    static func foundation(_ bytes: [UInt8]) -> Value? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
        return convert(object)
    }

    static func convert(_ object: Any) -> Value {
        switch object {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber: return .number(number.doubleValue)
        case let array as [Any]: return .array(array.map(convert))
        case let dictionary as [String: Any]: return .object(dictionary.mapValues(convert))
        default: return .string("unexpected \(type(of: object))")
        }
    }

    /// A random document of at most `depth` levels, written with random insignificant whitespace.
    static func document(depth: Int, _ random: inout Generator) -> String {
        let space = { (random: inout Generator) -> String in ["", "", " ", "\n", "\t", "\r\n "].randomElement(using: &random)! }
        switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &random) {
        case 0: return "null"
        case 1: return Bool.random(using: &random) ? "true" : "false"
        case 2: return String(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &random))
        case 3:
            let forms = ["0", "-0", "0.5", "-12.25", "1e3", "2E-2", "6.02e23", "-1.5e+10", "123456789.125"]
            return forms.randomElement(using: &random)!
        case 4, 5: return string(&random)
        case 6:
            let count = Int.random(in: 0...4, using: &random)
            let elements = (0..<count).map { _ in space(&random) + document(depth: depth - 1, &random) + space(&random) }
            return "[" + elements.joined(separator: ",") + "]"
        default:
            let count = Int.random(in: 0...4, using: &random)
            var keys: Set<String> = []
            while keys.count < count { keys.insert(string(&random)) }
            let members = keys.sorted().map { key in space(&random) + key + space(&random) + ":" + document(depth: depth - 1, &random) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// A random JSON string literal: plain text, escapes, non-ASCII and surrogate pairs.
    static func string(_ random: inout Generator) -> String {
        let pieces = ["a", "id", "path", "é", "日本", "🔥", "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\udd25", "\\t", " ", "\\u0000"]
        let count = Int.random(in: 0...5, using: &random)
        return "\"" + (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined() + "\""
    }

    /// Damages a document: one byte deleted, inserted or replaced, or the text cut short.
    static func mutate(_ bytes: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = bytes
        let interesting = Array("{}[],:\"\\ -+.eE0n".utf8) + [0x00, 0x0A, 0x7F, 0xC3, 0xFF, 0xED]
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where !bytes.isEmpty: bytes.remove(at: position)
        case 1: bytes.insert(interesting.randomElement(using: &random)!, at: position)
        case 2 where !bytes.isEmpty: bytes[position] = interesting.randomElement(using: &random)!
        default: bytes = Array(bytes.prefix(position))
        }
        return bytes
    }

    @Test("on 20,000 random valid documents both parsers accept and read the same values")
    func validDocuments() {
        var random = Generator(state: 0xA5F1_A4E0)
        for index in 0..<20_000 {
            let text = Self.document(depth: 5, &random)
            let bytes = Array(text.utf8)
            let expected = Self.foundation(bytes)
            #expect(expected != nil, "Foundation refused generated document \(index): \(text)")
            #expect(Self.ours(bytes) == expected, "document \(index): \(text)")
        }
    }

    @Test("on 20,000 damaged documents both parsers agree on what is JSON, and on the values of what is")
    func damagedDocuments() {
        var random = Generator(state: 0x5EED_0016)
        var refused = 0, lenient = 0
        for index in 0..<20_000 {
            let text = Self.document(depth: 4, &random)
            var bytes = Array(text.utf8)
            for _ in 0...Int.random(in: 0...2, using: &random) { bytes = Self.mutate(bytes, &random) }
            var expected = Self.foundation(bytes)
            let actual = Self.ours(bytes)
            if expected != nil, actual == nil, Self.invalidButFoundationAccepts(bytes) {
                // RFC 8259 has no trailing commas and no NUL outside strings; we refuse both.
                expected = nil
                lenient += 1
            }
            if expected == nil { refused += 1 }
            #expect(actual == expected, "damaged document \(index): \(String(decoding: bytes, as: UTF8.self).debugDescription) bytes \(bytes)")
        }
        #expect(refused > 5_000, "most damage makes a text invalid (\(refused) refused)")
        #expect(lenient < 500, "Foundation's leniency explains only a few differences (\(lenient))")
    }

    /// Whether `bytes` break RFC 8259 in the two ways Foundation on Linux accepts: a comma right
    /// before `]` or `}`, or a NUL byte (Foundation stops reading there).
    static func invalidButFoundationAccepts(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) { return true }
        var lastSignificant: UInt8?
        for byte in bytes {
            if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}"), lastSignificant == UInt8(ascii: ",") { return true }
            if ![0x20, 0x09, 0x0A, 0x0D].contains(byte) { lastSignificant = byte }
        }
        return false
    }
}
