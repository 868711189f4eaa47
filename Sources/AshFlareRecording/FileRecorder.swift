import AshFlare
import AshFlareDashboard
import Foundation

/// Records a tree for the dashboard's `R` into `DIRECTORY/ashflare-TREE-YYYYMMDD-HHMMSS.rec`.
public struct FileRecorder: DashboardRecorder {
    /// The recorder used.
    public var recorder: TreeRecorder
    /// Where the tree was reached, for the header (`unix:///tmp/shop.sock`, `in-process`).
    public var source: String

    /// Creates a file recorder.
    public init(source: String, recorder: TreeRecorder = TreeRecorder()) {
        self.source = source
        self.recorder = recorder
    }

    public func record(
        tree name: String, control: any SupervisionControl, directory: String, started: @escaping @Sendable (String) -> Void
    ) async throws -> String {
        let now = Date()
        let stamp = Self.fileStamp(now)
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let base = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + (directory == "." ? "" : "/" + directory)
        let path = (base.hasSuffix("/") ? base : base + "/") + "ashflare-\(safe)-\(stamp).rec"
        let file = try RecordingFile(creating: path)
        let summary = try await recorder.record(
            control, name: name, source: source, startedAt: Self.isoStamp(now), into: file, started: { started(path) })
        return "recorded \(summary.events) events (\(summary.checks) checks) to \(path)"
    }

    /// `2026-12-02T02:21:00Z`.
    public static func isoStamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// `20261202-022100`, UTC.
    static func fileStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))-\(two(parts.hour))\(two(parts.minute))\(two(parts.second))"
    }
}
