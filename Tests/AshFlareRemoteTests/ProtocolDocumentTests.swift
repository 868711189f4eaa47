import AshFlare
@testable import AshFlareRemote
import Foundation
import Testing

/// docs/PROTOCOL.md is checked against the codec: every `wire` example must decode as the real
/// server and client decode it, and re-encode byte for byte.
@Suite("docs/PROTOCOL.md")
struct ProtocolDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One `wire` block: its lines, each a direction and a frame.
    struct Block: CustomTestStringConvertible {
        var line: Int
        var frames: [(toServer: Bool, text: String)]
        var testDescription: String { "block at line \(line)" }
    }

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
    }

    /// The fenced blocks whose info string is `info`, with their first line numbers.
    static func blocks(_ info: String) throws -> [(line: Int, lines: [String])] {
        var result: [(Int, [String])] = []
        var current: (Int, [String])?
        for (index, line) in try document().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```" + info {
                current = (index + 2, [])
            } else if current != nil, line == "```" {
                result.append(current!)
                current = nil
            } else if current != nil {
                current!.1.append(String(line))
            }
        }
        return result
    }

    static func wireBlocks() throws -> [Block] {
        try blocks("wire").map { start, lines in
            Block(line: start, frames: lines.map { line in
                precondition(line.hasPrefix("> ") || line.hasPrefix("< "), "a wire line starts with '> ' or '< ': \(line)")
                return (line.hasPrefix("> "), String(line.dropFirst(2)))
            })
        }
    }

    @Test("the document has wire examples for every op, every event type and the error replies")
    func coverage() throws {
        let text = try Self.wireBlocks().flatMap(\.frames).map(\.text).joined(separator: "\n")
        for op in WireRequest.Operation.names {
            #expect(text.contains("\"op\":\"\(op)\""), "no example of op \(op)")
        }
        // `lagged` is reserved: this server never sends it, so the document shows no example.
        for type in SupervisorEvent.typeNames where type != "lagged" {
            #expect(text.contains("\"type\":\"\(type)\""), "no example of event type \(type)")
        }
        for code in [
            "invalidJSON", "badRequest", "unknownOp", "childNotFound", "rootSupervisor", "unauthorized", "unsupportedVersion",
            "handshakeRequired", "staleExecution",
        ] {
            #expect(text.contains("\"code\":\"\(code)\""), "no example of error \(code)")
        }
        #expect(text.contains("\"ifExecution\":"), "no example of a conditional operation")
    }

    @Test("every example decodes as the server and the client decode it and re-encodes exactly", arguments: try wireBlocks())
    func examples(_ block: Block) throws {
        var operations: [UInt64: WireRequest.Operation] = [:]
        var expectedFailure: WireRequest.Failure?
        for (toServer, text) in block.frames {
            if toServer {
                // As a v2 connection reads it (v1 examples have no field v2 refuses).
                switch WireRequest.decode(Array(text.utf8), strict: true) {
                case .success(let request):
                    #expect(request.wireJSON == text, "request re-encodes differently")
                    operations[request.id] = request.operation
                    expectedFailure = nil
                case .failure(let failure):
                    expectedFailure = failure
                }
                continue
            }
            let frame = try ServerFrame.decode(Array(text.utf8)) { id in operations[id].map(WireResult.Shape.init) }
            #expect(frame.wireJSON == text, "server frame re-encodes differently:\n\(frame.wireJSON)\n\(text)")
            if let failure = expectedFailure {
                // A request the server refuses must be refused with the error the example shows.
                guard case .error(let id, let code, let message) = frame else {
                    Issue.record("a refused request is followed by \(text)")
                    continue
                }
                #expect(id == failure.id)
                #expect(code == failure.code.name)
                #expect(message == failure.message)
                expectedFailure = nil
            }
        }
        #expect(expectedFailure == nil, "a refused request has no error example after it")
    }

    @Test("the JSON and shell examples are well-formed")
    func otherBlocks() throws {
        for (line, lines) in try Self.blocks("json") {
            let text = lines.joined(separator: "\n")
            #expect(throws: Never.self, "json block at line \(line)") {
                try JSONReader.read(Array(text.utf8)) { reader throws(WireError) in try reader.skipValue() }
            }
        }
        for (_, lines) in try Self.blocks("sh") {
            for line in lines {
                let cleaned = line.replacingOccurrences(of: #"'"$ASHFLARE_TOKEN"'"#, with: "t")
                for match in cleaned.matches(of: /'(\{"id"[^']*)'/) {
                    let request = String(match.1)
                    #expect((try? WireRequest.decode(Array(request.utf8)).get()) != nil, "\(request)")
                }
            }
        }
    }
}
