import Foundation
import AshFlare
import AshFlareTestKit

/// Counters and invariant violations gathered by every soak task.
final class SoakReport: Sendable {
    private struct State {
        var counts: [String: Int] = [:]
        var faults: [String: [String: Int]] = [:]
        var violations: [String] = []
    }

    private let state = Locked(State())

    func count(_ name: String, by amount: Int = 1) { state.withLock { $0.counts[name, default: 0] += amount } }

    func recordFault(_ operation: String, outcome: String) {
        state.withLock { $0.faults[operation, default: [:]][outcome, default: 0] += 1 }
    }

    func violation(_ message: String) {
        state.withLock { state in
            if state.violations.count < 50 { state.violations.append(message) }
            state.counts["violations", default: 0] += 1
        }
    }

    var violations: Int { state.withLock { $0.counts["violations"] ?? 0 } }
    var totalFaults: Int { state.withLock { $0.faults.values.flatMap(\.values).reduce(0, +) } }

    func summary(seconds: Double, nodes: Int, memory: MemoryFigures) -> String {
        state.withLock { state in
            var lines = [
                "nodes at start:        \(nodes)",
                "duration:              \(String(format: "%.1f", seconds)) s",
                "faults injected:       \(state.faults.values.flatMap(\.values).reduce(0, +)) (\(String(format: "%.0f", Double(state.faults.values.flatMap(\.values).reduce(0, +)) / seconds))/s)",
            ]
            for (operation, outcomes) in state.faults.sorted(by: { $0.key < $1.key }) {
                let parts = outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(operation): \(parts)")
            }
            for (name, value) in state.counts.sorted(by: { $0.key < $1.key }) where name != "violations" {
                lines.append("\(name): \(value)")
            }
            lines.append("RSS after warm-up:     \(memory.warmUpKB / 1024) MiB")
            lines.append("RSS at end:            \(memory.endKB / 1024) MiB")
            lines.append("peak RSS:              \(memory.peakKB / 1024) MiB")
            lines.append("invariant violations:  \(state.counts["violations"] ?? 0)")
            lines.append(contentsOf: state.violations.map { "  ! \($0)" })
            return lines.joined(separator: "\n")
        }
    }
}
