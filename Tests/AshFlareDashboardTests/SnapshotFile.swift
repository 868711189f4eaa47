import Foundation
import Testing

/// Whether this run rewrites snapshots: only `scripts/update-snapshots.sh` turns it on, by
/// setting `ASHFLARE_SNAPSHOTS=rewrite` *and* creating the marker file `__Snapshots__/.rewrite`
/// (git-ignored); never under CI (`CI` set). Anything else — `UPDATE_SNAPSHOTS=1` included —
/// compares, so a stray variable cannot make a differing frame pass.
func snapshotRewriteEnabled(environment: [String: String], markerExists: Bool) -> Bool {
    environment["ASHFLARE_SNAPSHOTS"] == "rewrite" && markerExists && environment["CI"] == nil
}

/// Compares a rendered frame with `__Snapshots__/<name>.txt`. In rewrite mode (see
/// ``snapshotRewriteEnabled(environment:markerExists:)``) a differing file is rewritten, and the
/// test still fails for it, so the script's second run is the one that must pass.
func expectFrame(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent("\(name).txt")
    let rewrite = snapshotRewriteEnabled(
        environment: ProcessInfo.processInfo.environment,
        markerExists: FileManager.default.fileExists(atPath: directory.appendingPathComponent(".rewrite").path))
    let expected = try? String(contentsOf: file, encoding: .utf8)
    if rewrite && expected != actual + "\n" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (actual + "\n").write(to: file, atomically: true, encoding: .utf8)
        Issue.record("snapshot \(name).txt rewritten; review the diff and run the tests again", sourceLocation: sourceLocation)
        return
    }
    guard let expected else {
        Issue.record("no snapshot \(name).txt; record it with scripts/update-snapshots.sh", sourceLocation: sourceLocation)
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
