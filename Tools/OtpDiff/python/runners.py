"""Runs a batch of scenarios on both sides at once (one OS process each, in parallel)."""

import json
import os
import subprocess
import tempfile


class Runners:
    """The two runners: `erl` with the compiled suite in `ebin`, and the `flare-otp-diff` binary.

    `against_itself` ("otp" or "ours") runs that side twice instead of both sides once, to show
    the side is deterministic (any divergence then is the side's own).
    """

    def __init__(self, ebin, ours, against_itself=None):
        self.ebin = ebin
        self.ours = ours
        self.sides = ("otp", "ours") if against_itself is None else (against_itself, against_itself)

    def _command(self, side, path):
        if side == "otp":
            return ["erl", "-noshell", "-pa", self.ebin, "-run", "otpdiff_run", "main", path]
        return [self.ours, path]

    def run(self, scenarios):
        """(first side's results, second side's results) for `scenarios`, in order."""
        with tempfile.TemporaryDirectory(prefix="otpdiff-") as tmp:
            path = os.path.join(tmp, "scenarios.jsonl")
            with open(path, "w") as out:
                for scenario in scenarios:
                    out.write(json.dumps(scenario, separators=(",", ":")) + "\n")
            env = dict(os.environ, ERL_CRASH_DUMP="/dev/null")
            processes = [subprocess.Popen(self._command(side, path), stdout=subprocess.PIPE, env=env, text=True)
                         for side in self.sides]
            outputs = [process.communicate()[0] for process in processes]
        results = []
        for side, process, output in zip(self.sides, processes, outputs):
            if process.returncode != 0:
                raise SystemExit(f"the {side} runner failed with status {process.returncode} on {len(scenarios)} scenarios")
            results.append(_lines(output, len(scenarios), side))
        return results[0], results[1]


def _lines(text, count, side):
    results = [json.loads(line) for line in text.splitlines() if line.strip()]
    if len(results) != count:
        raise SystemExit(f"the {side} runner printed {len(results)} results for {count} scenarios")
    return results
