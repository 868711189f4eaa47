import Foundation

/// `flare-otp-diff SCENARIOS.jsonl`: runs every scenario (one JSON object a line) on AshFlare and
/// prints one JSON line of observations per scenario, the same form as the OTP runner
/// (Tools/OtpDiff/erlang/otpdiff_run.erl). docs/OTP-DIFF.md describes the suite.
@main
enum FlareOtpDiff {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 1, let path = arguments.first else {
            FileHandle.standardError.write(Data("usage: flare-otp-diff SCENARIOS.jsonl\n".utf8))
            exit(2)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for (number, line) in text.split(separator: "\n").enumerated() {
            let scenario: Scenario
            do {
                scenario = try decoder.decode(Scenario.self, from: Data(line.utf8))
            } catch {
                FileHandle.standardError.write(Data("\(path):\(number + 1): not a scenario: \(error)\n".utf8))
                exit(2)
            }
            let result = await ScenarioRunner(scenario).run()
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
        }
    }
}
