import AshFlare
import AshFlareProcess

/// The demo's real OS processes: a `python3 -m http.server` web process (ready once it says it
/// serves) and a crashy shell script that, after a random while, exits with a random status or
/// sends itself SIGSEGV — so the tour can show kill -9 by key and a real segfault restarted.
enum DemoProcesses {
    /// The `processes` supervisor; without python3 on PATH it has the crashy script only.
    static func spec(failEvery: Duration) -> SupervisorSpec {
        SupervisorSpec("processes", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 10, within: .seconds(30))) {
            if let web = web() { web }
            if let crashy = crashy(failEvery: failEvery) { crashy }
        }
    }

    static func web() -> ChildSpec? {
        try? ChildSpec.process(
            "web",
            ProcessSpec(
                "python3", arguments: ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
                readiness: .outputLine(matching: "Serving HTTP on", timeout: .seconds(10))),
            shutdown: .timeout(.seconds(2)))
    }

    /// Runs between one and two `failEvery`s, then fails one of four ways.
    static func crashy(failEvery: Duration) -> ChildSpec? {
        let seconds = Double(failEvery.components.seconds) + Double(failEvery.components.attoseconds) / 1e18
        let script = """
            echo "crashy: up as pid $$"
            pick=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
            sleep "$(awk -v s="$CRASH_AFTER" -v r="$pick" 'BEGIN { printf "%.2f", s * (1 + (r % 100) / 100) }')"
            case $((pick % 4)) in
              0) echo "crashy: segfaulting"; kill -SEGV $$ ;;
              *) echo "crashy: exiting with status $((pick % 4 + 1))" >&2; exit $((pick % 4 + 1)) ;;
            esac
            """
        return try? ChildSpec.process(
            "crashy",
            ProcessSpec("/bin/sh", arguments: ["-c", script], environment: .inheriting(adding: ["CRASH_AFTER": "\(seconds * 2)"])),
            backoff: .exponential(initial: .milliseconds(200), maximum: .seconds(5)))
    }
}
