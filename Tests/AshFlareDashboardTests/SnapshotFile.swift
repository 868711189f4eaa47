import Foundation
import Testing

/// Compares a rendered frame with `__Snapshots__/<name>.txt`. With `UPDATE_SNAPSHOTS=1` in the
/// environment the file is (re)written instead, so a reviewer sees every change as a diff.
func expectFrame(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (actual + "\n").write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt; run with UPDATE_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    let trimmed = expected.hasSuffix("\n") ? String(expected.dropLast()) : expected
    if trimmed != actual {
        let expectedLines = trimmed.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let e = index < expectedLines.count ? String(expectedLines[index]) : "<none>"
            let a = index < actualLines.count ? String(actualLines[index]) : "<none>"
            if e != a { diff.append("line \(index + 1):\n  expected: \(e)\n  actual:   \(a)") }
        }
        Issue.record("frame \(name) differs:\n\(diff.prefix(8).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
