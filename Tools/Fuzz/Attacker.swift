#if canImport(Glibc)
import Glibc
#endif

/// What the attacks need to know about the served tree.
struct FuzzSetup: Sendable {
    var unix: FuzzTarget
    var tcp: FuzzTarget
    /// The TLS listener's port (as a raw TCP target: the attacks there never speak TLS).
    var tls: FuzzTarget
    /// A read-only token: fuzz connections that get past `hello` may observe, never control.
    var readToken: String
    /// The control token; the fuzzer only ever sends corruptions of it.
    var controlToken: String
    var maxFrameSize: Int
    var maxConnections: Int
    var maxPendingHandshakes: Int
    var handshakeTimeout: Double
    var idleTimeout: Double
}

/// The kinds of hostile input, each sent on its own connection or on a greeted one.
enum AttackCategory: String, CaseIterable, Sendable {
    case randomBytes = "random bytes (before hello)"
    case mutatedHello = "mutated hello"
    case mutatedFrame = "mutated frame (after hello)"
    case invalidUTF8 = "invalid UTF-8 (after hello)"
    case invalidJSON = "invalid JSON (after hello)"
    case oversizedBeforeHello = "oversized line (before hello)"
    case oversizedAfterHello = "oversized line (after hello)"
    case lengthPrefix = "binary length prefix"
    case truncated = "truncated frame at end of input"
    case wrongToken = "wrong or missing token (TCP)"
    case abruptReset = "reset mid-frame"
    case tlsGarbage = "garbage or plain text to the TLS port"

    /// The outcomes this category must have (any other is a violation); nil: any reply or close.
    var required: [String]? {
        switch self {
        case .oversizedBeforeHello, .oversizedAfterHello: ["error frameTooLarge"]
        case .truncated: ["error invalidJSON"]
        case .wrongToken: ["error unauthorized"]
        case .tlsGarbage: ["closed"]
        default: nil
        }
    }
}

/// Sends hostile inputs from one thread and classifies what the server did with each.
///
/// Not `Sendable`: each fuzzing thread owns one.
struct Attacker {
    let setup: FuzzSetup
    var random: SeededRandom
    /// Greeted connections by target, with when each was last used.
    private var sessions: [String: (socket: RawSocket, lastUse: Double)] = [:]
    private var sequence = 0
    /// The protocol version the current input's hello asks for.
    private var version = 2

    /// The id of the `ping` sent after each input on a greeted connection.
    static let probeID: UInt64 = 9_876_543_210_123

    init(setup: FuzzSetup, seed: UInt64) {
        self.setup = setup
        self.random = SeededRandom(seed: seed)
    }

    /// Sends one input of `category`; returns its outcome, e.g. `error invalidJSON, closed`.
    mutating func attack(_ category: AttackCategory) -> String {
        sequence += 1
        let target = sequence % 2 == 0 ? setup.tcp : setup.unix
        // Both protocol versions, on both transports: v1 ignores unknown fields, v2 refuses them.
        version = sequence / 2 % 2 == 0 ? 2 : 1
        let greeting = Array((Mutator.hello(token: tokenFor(target), version: version) + "\n").utf8)
        switch category {
        case .randomBytes:
            return oneShot(target, Mutator.randomBytes(&random))
        case .mutatedHello:
            var hello = Mutator.mutate(Array(Mutator.hello(token: tokenFor(target), version: version).utf8), &random)
            hello.append(0x0A)
            return oneShot(target, hello)
        case .mutatedFrame:
            let frame = Array(Mutator.corpus.randomElement(using: &random)!.utf8)
            return inSession(target, Mutator.mutate(frame, &random))
        case .invalidUTF8:
            var frame = Array(Mutator.corpus.randomElement(using: &random)!.utf8)
            let at = Int.random(in: 1..<frame.count, using: &random)
            frame.insert(contentsOf: Mutator.invalidUTF8.randomElement(using: &random)!, at: at)
            return inSession(target, frame)
        case .invalidJSON:
            return inSession(target, Array(Mutator.brokenJSON.randomElement(using: &random)!.utf8))
        case .oversizedBeforeHello:
            return oneShot(target, oversizedLine())
        case .oversizedAfterHello:
            return inSession(target, oversizedLine())
        case .lengthPrefix:
            return oneShot(target, lengthPrefixed())
        case .truncated:
            let frame = Array(Mutator.corpus.randomElement(using: &random)!.utf8)
            return oneShot(target, greeting + Array(frame[..<Int.random(in: 1..<frame.count, using: &random)]))
        case .wrongToken:
            return oneShot(setup.tcp, Array((Mutator.hello(token: wrongToken()) + "\n").utf8))
        case .abruptReset:
            guard let socket = RawSocket.connect(target) else { return "connect refused" }
            let frame = Array(Mutator.corpus.randomElement(using: &random)!.utf8)
            socket.send(greeting + Array(frame.prefix(frame.count / 2)))
            socket.reset()
            return "reset by the fuzzer"
        case .tlsGarbage:
            // Before a ClientHello: random bytes, a plain hello with the control token, or a
            // ClientHello's first bytes and then silence until our side closes.
            let bytes: [UInt8] =
                switch Int.random(in: 0..<3, using: &random) {
                case 0: Mutator.randomBytes(&random)
                case 1: Array((Mutator.hello(token: setup.controlToken) + "\n").utf8)
                default: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03]
                }
            let outcome = oneShot(setup.tls, bytes)
            // A JSON reply in clear text on the TLS port would be a violation: it must only close.
            return outcome.contains("accepted") || outcome.contains("error ") ? "plain-text reply: \(outcome)" : outcome
        }
    }

    /// Closes the greeted connections.
    mutating func closeSessions() { sessions.removeAll() }

    private func tokenFor(_ target: FuzzTarget) -> String? {
        if case .tcp = target { return setup.readToken }
        return nil  // the Unix socket's tokenless permission is read in the fuzz server
    }

    // MARK: Inputs

    private mutating func oversizedLine() -> [UInt8] {
        let size = setup.maxFrameSize + 1 + Int.random(in: 0...(3 * setup.maxFrameSize), using: &random)
        var line = [UInt8](repeating: UInt8(ascii: "a"), count: size)
        line.replaceSubrange(0..<10, with: Array(#"{"id":1,"x"#.utf8))
        return line
    }

    private mutating func lengthPrefixed() -> [UInt8] {
        let frame = Array(Mutator.hello(token: nil).utf8)
        switch Int.random(in: 0..<3, using: &random) {
        case 0:  // what a length-prefixed client sends: 4-byte big-endian length, then the frame
            let length = UInt32(frame.count)
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + frame
        case 1:  // a 4 GiB length and more bytes than the frame limit, no newline
            return [0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0x41, count: setup.maxFrameSize + 100)
        default:  // a length, the frame, and a newline
            return [0x00, 0x00, 0x00, UInt8(frame.count)] + frame + [0x0A]
        }
    }

    private mutating func wrongToken() -> String? {
        let control = Array(setup.controlToken.utf8)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return nil
        case 1: return ""
        case 2: return String(repeating: "k", count: Int.random(in: 1...(setup.maxFrameSize / 2), using: &random))
        default:
            // A near miss: the control token with one edit (escaped so the frame stays JSON).
            while true {
                let mutated = Mutator.mutate(control, &random)
                let text = String(decoding: mutated, as: UTF8.self)
                let escaped = text.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" || $0 == "\\" ? "_" : String($0) }.joined()
                if escaped != setup.controlToken && !escaped.isEmpty { return escaped }
            }
        }
    }

    // MARK: Sending

    /// A fresh connection: send `bytes`, close our side, read until the server closes.
    private func oneShot(_ target: FuzzTarget, _ bytes: [UInt8]) -> String {
        guard let socket = RawSocket.connect(target) else { return "connect refused" }
        socket.send(bytes)
        socket.finishSending()
        let received = socket.read(seconds: setup.handshakeTimeout + 5)
        return Self.outcome(received, probeSeen: false)
    }

    /// On a greeted connection: send `frame` and a probe `ping`, read until the probe's reply or a close.
    private mutating func inSession(_ target: FuzzTarget, _ frame: [UInt8]) -> String {
        let key = "\(target) v\(version)"
        // A session quiet for long would meet the idle timeout, which is right but not this test.
        if let session = sessions[key], RawSocket.now() - session.lastUse > setup.idleTimeout / 2 { sessions[key] = nil }
        if sessions[key] == nil {
            guard let socket = RawSocket.connect(target) else { return "connect refused" }
            socket.send(Mutator.hello(token: tokenFor(target), version: version) + "\n")
            let hello = socket.read(seconds: 5) { !$0.isEmpty }
            guard hello.lines.first?.hasPrefix(#"{"id":1,"result""#) == true else {
                return "session refused: " + Self.outcome(hello, probeSeen: false)
            }
            sessions[key] = (socket, RawSocket.now())
        }
        let socket = sessions[key]!.socket
        sessions[key]!.lastUse = RawSocket.now()
        let probe = Array(#"{"id":\#(Self.probeID),"op":"ping"}"#.utf8)
        socket.send(frame + [0x0A] + probe + [0x0A])
        let probePrefix = #"{"id":\#(Self.probeID),"#
        let received = socket.read(seconds: 10) { $0.contains { $0.hasPrefix(probePrefix) } }
        let probeSeen = received.lines.contains { $0.hasPrefix(probePrefix) }
        if received.closed || !probeSeen { sessions[key] = nil }
        return Self.outcome(received, probeSeen: probeSeen)
    }

    /// Classifies what the server sent: error codes in order, `accepted` for a result,
    /// `closed` if it closed, `ignored` if it answered only the probe, `no answer` otherwise.
    static func outcome(_ received: RawSocket.Received, probeSeen: Bool) -> String {
        var parts: [String] = []
        for line in received.lines where !line.hasPrefix(#"{"subscription""#) && !line.hasPrefix(#"{"id":\#(probeID),"#) {
            let part: String
            if let range = line.range(of: #""error":{"code":""#) {
                part = "error " + line[range.upperBound...].prefix { $0 != "\"" }
            } else if line.contains(#""result""#) {
                part = "accepted"
            } else {
                part = "unreadable reply"
            }
            if !parts.contains(part) { parts.append(part) }
        }
        if received.closed { parts.append("closed") }
        if parts.isEmpty { return probeSeen ? "ignored" : "no answer" }
        if !probeSeen && !received.closed && received.timedOut { parts.append("no answer") }
        return parts.joined(separator: ", ")
    }
}
