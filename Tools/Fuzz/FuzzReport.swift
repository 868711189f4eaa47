import AshFlare
import Foundation
import AshFlareTestKit

/// Inputs tried per category, their outcomes, the well-behaved clients' work, and violations.
final class FuzzReport: Sendable {
    private struct State {
        var outcomes: [String: [String: Int]] = [:]
        var counts: [String: Int] = [:]
        var violations: [String] = []
        var violationCount = 0
        var inputs = 0
        var notes: [String] = []
    }

    private let state = Locked(State())

    /// Records one input of `category` and what the server did with it.
    func record(_ category: String, _ outcome: String) {
        state.withLock { state in
            state.outcomes[category, default: [:]][outcome, default: 0] += 1
            state.inputs += 1
        }
    }

    /// Adds to a named counter.
    func count(_ name: String, by amount: Int = 1) { state.withLock { $0.counts[name, default: 0] += amount } }

    /// Adds a line to the summary.
    func note(_ line: String) { state.withLock { $0.notes.append(line) } }

    /// Keeps the largest value seen under `name`.
    func maximum(_ name: String, _ value: Int) { state.withLock { $0.counts[name] = max($0.counts[name] ?? 0, value) } }

    /// Records a broken promise of the server.
    func violation(_ message: String) {
        state.withLock { state in
            if state.violations.count < 50 { state.violations.append(message) }
            state.violationCount += 1
        }
    }

    /// Inputs recorded so far.
    var inputs: Int { state.withLock { $0.inputs } }
    /// Violations recorded so far.
    var violations: Int { state.withLock { $0.violationCount } }

    /// The printed summary.
    func summary(seconds: Double, memory: MemoryFigures, memoryBoundMiB: Int) -> String {
        state.withLock { state in
            var lines = [
                "duration:              \(String(format: "%.1f", seconds)) s",
                "hostile inputs:        \(state.inputs) (\(String(format: "%.0f", Double(state.inputs) / max(seconds, 0.001)))/s)",
            ]
            for (category, outcomes) in state.outcomes.sorted(by: { $0.key < $1.key }) {
                let total = outcomes.values.reduce(0, +)
                let parts = outcomes.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(category) (\(total)): \(parts)")
            }
            for (name, value) in state.counts.sorted(by: { $0.key < $1.key }) {
                lines.append("\(name): \(value)")
            }
            lines.append(contentsOf: state.notes)
            lines.append("RSS after warm-up:     \(memory.warmUpKB / 1024) MiB")
            lines.append("RSS at end:            \(memory.endKB / 1024) MiB (bound: warm-up + \(memoryBoundMiB) MiB)")
            lines.append("peak RSS:              \(memory.peakKB / 1024) MiB")
            lines.append("violations:            \(state.violationCount)")
            lines.append(contentsOf: state.violations.map { "  ! \($0)" })
            return lines.joined(separator: "\n")
        }
    }
}
