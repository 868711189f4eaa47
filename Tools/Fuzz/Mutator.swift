/// A seeded random source (SplitMix64), so a run can be repeated with `--seed`.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid frames (the requests of docs/PROTOCOL.md, aimed at the fuzz tree) and ways to break them.
///
/// Pure: every function maps a random source and bytes to bytes.
enum Mutator {
    /// Valid requests after `hello`, one per op, as in docs/PROTOCOL.md.
    static let corpus: [String] = [
        #"{"id":2,"op":"ping"}"#,
        #"{"id":3,"op":"snapshot"}"#,
        #"{"id":4,"op":"whichChildren","path":"fuzz/workers"}"#,
        #"{"id":5,"op":"countChildren","path":"fuzz"}"#,
        #"{"id":6,"op":"subscribe"}"#,
        #"{"id":7,"op":"kill","path":"fuzz/workers/w1"}"#,
        #"{"id":8,"op":"terminate","path":"fuzz/workers/w2"}"#,
        #"{"id":9,"op":"restart","path":"fuzz/workers/w3"}"#,
        #"{"id":10,"op":"startChild","supervisor":"fuzz/workers","template":"fetcher","arguments":["https://example.com","500"]}"#,
        #"{"id":12,"op":"delete","path":"fuzz/workers/w4"}"#,
        #"{"id":14,"op":"kill","path":"fuzz/workers/w1","ifExecution":3}"#,
        #"{"id":15,"op":"terminate","path":"fuzz/workers/w2","ifExecution":18446744073709551615}"#,
        #"{"id":13,"op":"unsubscribe","subscription":6}"#,
        #"{"id":19,"op":"shutdown"}"#,
    ]

    /// A valid `hello` for protocol `version` with `token` (none when nil).
    static func hello(token: String?, id: Int = 1, version: Int = 2) -> String {
        let field = token.map { #","token":"\#($0)""# } ?? ""
        return #"{"id":\#(id),"op":"hello","version":\#(version),"client":"flare-fuzz"\#(field)}"#
    }

    /// JSON values that break type expectations, bounds or the parser.
    static let hostileValues: [String] = [
        "null", "true", "false", "-1", "0", "1e999", "-1e999", "18446744073709551616", "1.5", "-0", "\"\"",
        "\"\\u0000\"", "\"\\ud800\"", "{}", "[]", "[null]", "{\"a\":{}}", "\"" + String(repeating: "x", count: 10_000) + "\"",
        String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40),
        "\"fuzz/../../etc/passwd\"", "\"fuzz//w1\"", "\"/\"", "\"fuzz/\(String(repeating: "w/", count: 500))\"",
    ]

    /// Byte sequences that are not UTF-8.
    static let invalidUTF8: [[UInt8]] = [
        [0xFF], [0xFE, 0xFF], [0xC0, 0x80], [0xC1, 0xBF], [0xED, 0xA0, 0x80], [0x80], [0xBF, 0xBF],
        [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ]

    /// Structurally broken JSON, hand-picked.
    static let brokenJSON: [String] = [
        "{", "}", "[", "{\"id\":1,", "{\"id\":1,\"op\":\"ping\",}", "{\"id\":1 \"op\":\"ping\"}", "{'id':1,'op':'ping'}",
        "{\"id\":1,\"op\":\"ping\"}}", "{\"id\":1,\"op\":\"ping\"} {\"id\":2}", "NaN", "Infinity", "[1,2,3]", "\"ping\"", "42",
        "{\"id\":01,\"op\":\"ping\"}", "{\"id\":1e3,\"op\":\"ping\"}", "{\"id\":-5,\"op\":\"ping\"}", "{\"id\":1,\"id\":2,\"op\":\"ping\"}",
        "{\"id\":1,\"op\":\"ping\"\u{0}}", "{\"id\":1,\"op\":\"pi\u{1}ng\"}", "{\"id\":1,\"op\":\"\\uZZZZ\"}", "{\"id\":1,\"op\":\"\\",
        String(repeating: "[", count: 10_000), String(repeating: "{\"a\":", count: 5000),
        "\u{FEFF}{\"id\":1,\"op\":\"ping\"}", "{\"id\":1,\"op\":\"ping\"}\r\r", " \t {\"id\":1,\"op\":\"ping\"} \t ",
    ]

    /// A mutation of `frame`: one to four random edits.
    static func mutate(_ frame: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = frame
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            bytes = edit(bytes, &random)
        }
        return bytes
    }

    private static func edit(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        let index = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<9, using: &random) {
        case 0 where !bytes.isEmpty:  // flip a bit
            bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1 where !bytes.isEmpty:  // any byte
            bytes[index] = UInt8.random(in: 0...255, using: &random)
        case 2:  // insert random bytes
            bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: index)
        case 3 where bytes.count > 1:  // delete a range
            bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...8, using: &random)))
        case 4 where !bytes.isEmpty:  // duplicate a range
            let end = min(bytes.count, index + Int.random(in: 1...32, using: &random))
            bytes.insert(contentsOf: Array(bytes[index..<end]), at: end)
        case 5:  // replace a value after a colon with a hostile one
            if let colon = bytes.indices.filter({ bytes[$0] == UInt8(ascii: ":") }).randomElement(using: &random) {
                let end = bytes[(colon + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") } ?? bytes.count
                bytes.replaceSubrange((colon + 1)..<end, with: Array(hostileValues.randomElement(using: &random)!.utf8))
            }
        case 6:  // not UTF-8
            bytes.insert(contentsOf: invalidUTF8.randomElement(using: &random)!, at: index)
        case 7:  // splice with another frame
            let other = Array(corpus.randomElement(using: &random)!.utf8)
            bytes = Array(bytes[..<index]) + Array(other[Int.random(in: 0..<other.count, using: &random)...])
        default:  // a control character, quote or brace
            bytes.insert([0, 0x0D, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C].randomElement(using: &random)!, at: index)
        }
        return bytes
    }

    /// Random bytes, newline-rich or not.
    static func randomBytes(_ random: inout SeededRandom) -> [UInt8] {
        let count = Int.random(in: 1...4096, using: &random)
        let newlines = Bool.random(using: &random)
        return (0..<count).map { _ in
            newlines && UInt8.random(in: 0...31, using: &random) == 0 ? 0x0A : UInt8.random(in: 0...255, using: &random)
        }
    }
}
