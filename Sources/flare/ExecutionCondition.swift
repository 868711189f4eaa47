import ArgumentParser
import AshFlare

/// `--if-execution N` of `kill`, `terminate`, `restart` and `delete`: act only if the child is
/// still execution `N` (the `execution` of `flare tree --json`, `flare events`), checked by the
/// tree in the same request; otherwise exit 1 with `staleExecution` and change nothing.
struct ExecutionCondition: ParsableArguments {
    @Option(
        name: .customLong("if-execution"),
        help: ArgumentHelp(
            "Act only if the child is still this execution (its tree-unique id, shown by 'flare tree' and 'flare events'); else fail with staleExecution.",
            valueName: "N"))
    var execution: UInt64?

    /// Runs `conditional` with the execution when one was given, else `unconditional`.
    func run(_ unconditional: () async throws -> Void, _ conditional: (UInt64) async throws -> Void) async throws {
        if let execution { try await conditional(execution) } else { try await unconditional() }
    }
}
