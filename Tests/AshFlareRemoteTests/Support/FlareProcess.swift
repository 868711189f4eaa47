import Foundation
import Synchronization

/// The built `flare` executable, run as a real process.
struct FlareProcess {
    /// The result of a finished run.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The `flare` binary next to the test bundle (both are products of `swift build --build-tests`).
    static func executable() throws -> URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("flare"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("flare"),
            root.appendingPathComponent(".build/debug/flare"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "flare is not built; run swift build --build-tests"])
        }
        return found
    }

    /// Runs `flare arguments…` to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let process = try Process.flare(arguments, environment: environment)
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let collectedOut = Collector(stdout.fileHandleForReading)
        let collectedErr = Collector(stderr.fileHandleForReading)
        let status = try await process.runToExit()
        return Outcome(status: status, stdout: await collectedOut.text(), stderr: await collectedErr.text())
    }

    /// A running `flare` whose stdout is read line by line.
    final class Running: Sendable {
        let process: Process
        let lines: AsyncStream<String>
        /// Its stderr line by line, when it was started with `streamingStderr` (``finish()`` then
        /// returns an empty stderr).
        let errorLines: AsyncStream<String>?
        private let stderr: Collector?
        private let exit: Task<Int32, any Error>

        init(_ arguments: [String], environment: [String: String] = [:], streamingStderr: Bool = false) throws {
            let process = try Process.flare(arguments, environment: environment)
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            self.process = process
            self.lines = LineReader.lines(of: stdout.fileHandleForReading)
            self.errorLines = streamingStderr ? LineReader.lines(of: stderr.fileHandleForReading) : nil
            self.stderr = streamingStderr ? nil : Collector(stderr.fileHandleForReading)
            self.exit = Task { try await process.runToExit() }
        }

        /// Waits for the process to exit; returns its status and stderr.
        func finish() async throws -> (status: Int32, stderr: String) {
            (try await exit.value, await stderr?.text() ?? "")
        }
    }
}

private extension Process {
    /// A process for `flare` with `environment` added to a minimal one.
    static func flare(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = try FlareProcess.executable()
        process.arguments = arguments
        var base = ["PATH": "/usr/bin:/bin"]
        // A sanitizer run's options (e.g. ASAN_OPTIONS=detect_leaks=0) apply to the child too.
        for (key, value) in ProcessInfo.processInfo.environment where key.hasSuffix("SAN_OPTIONS") { base[key] = value }
        base.merge(environment) { $1 }
        process.environment = base
        return process
    }

    /// Starts the process and waits for it to exit, without blocking a thread of the pool.
    func runToExit() async throws -> Int32 {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
final class Collector: Sendable {
    private let result: Task<String, Never>

    init(_ handle: FileHandle) {
        let lines = LineReader.lines(of: handle)
        result = Task {
            var text = ""
            for await line in lines { text += line + "\n" }
            return text
        }
    }

    func text() async -> String { await result.value }
}

/// Splits what a pipe delivers into lines, as an async stream that ends at end of file.
enum LineReader {
    static func lines(of handle: FileHandle) -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                continuation.finish()
            }
            thread.start()
        }
    }
}
