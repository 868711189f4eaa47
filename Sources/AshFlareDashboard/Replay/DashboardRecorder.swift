import AshFlare

/// What `R` uses to record a tree: the terminal dashboard runs it while recording is on.
///
/// `AshFlareRecording`'s `FileRecorder` writes the JSON-lines files `flare replay` reads; a
/// program that shows the dashboard passes one to `Dashboard.run(…, recorder:)`.
public protocol DashboardRecorder: Sendable {
    /// Records tree `name` through `control` into a new file in `directory`, until the task is
    /// cancelled or the tree's event stream ends.
    /// - Parameter started: Called with the file's path once its header and snapshot are written.
    /// - Returns: A one-line summary for the status line (`recorded 1,234 events to …`).
    func record(tree name: String, control: any SupervisionControl, directory: String, started: @escaping @Sendable (String) -> Void) async throws -> String
}
