"""Runs a batch of scenarios on both sides at once (one OS process each, in parallel)."""

import json
import os
import subprocess
import tempfile


class Runners:
    """The two runners: `erl` with the compiled suite in `ebin`, and the `flare-otp-diff` binary."""

    def __init__(self, ebin, ours):
        self.ebin = ebin
        self.ours = ours

    def run(self, scenarios):
        """(otp results, our results) for `scenarios`, one result per scenario, in order."""
        with tempfile.TemporaryDirectory(prefix="otpdiff-") as tmp:
            path = os.path.join(tmp, "scenarios.jsonl")
            with open(path, "w") as out:
                for scenario in scenarios:
                    out.write(json.dumps(scenario, separators=(",", ":")) + "\n")
            env = dict(os.environ, ERL_CRASH_DUMP="/dev/null")
            otp = subprocess.Popen(
                ["erl", "-noshell", "-pa", self.ebin, "-run", "otpdiff_run", "main", path],
                stdout=subprocess.PIPE, env=env, text=True)
            ours = subprocess.Popen([self.ours, path], stdout=subprocess.PIPE, text=True)
            otp_out, _ = otp.communicate()
            our_out, _ = ours.communicate()
        for name, process in (("erl", otp), (self.ours, ours)):
            if process.returncode != 0:
                raise SystemExit(f"{name} failed with status {process.returncode} on {len(scenarios)} scenarios")
        return _lines(otp_out, len(scenarios), "erl"), _lines(our_out, len(scenarios), self.ours)


def _lines(text, count, name):
    results = [json.loads(line) for line in text.splitlines() if line.strip()]
    if len(results) != count:
        raise SystemExit(f"{name} printed {len(results)} results for {count} scenarios")
    return results
