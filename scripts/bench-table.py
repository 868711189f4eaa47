#!/usr/bin/env python3
"""The side-by-side table of scripts/bench-vs-otp.sh, from its JSON lines (standard library only).

    python3 scripts/bench-table.py RESULTS.jsonl

Per scenario and side, the median of all samples of all rounds (each sample is ns per unit:
cycle, child, round, run or snapshot), the interquartile range, and the ratio AshFlare ÷ OTP
(below 1: AshFlare is faster or smaller). Prints a Markdown table.
"""
import json
import sys
from collections import defaultdict

LABELS = {
    "crash-long": "crash → restart, one-for-one, long-lived supervisor (per cycle)",
    "crash-fresh": "crash → restart, one-for-one, fresh supervisor per {count} cycles (per cycle)",
    "start": "start {count:,} idle children (per child)",
    "one-for-all": "one-for-all, 100 children, one crash → all restarted (per round)",
    "tree-start": "1,111-node tree: start",
    "tree-snapshot": "1,111-node tree: full walk / snapshot",
    "tree-shutdown": "1,111-node tree: shutdown",
}
ORDER = list(LABELS)
# The brief's targets for AshFlare (docs/BENCHMARKS.md, ../shared/DESIGN.md).
TARGETS = {
    "crash-long": "≤ 2 µs", "crash-fresh": "≤ 2 µs", "start": "≤ 3 µs", "one-for-all": "≤ 50 µs",
    "tree-start": "≤ 2 ms", "tree-snapshot": "≤ 0.15 ms", "tree-shutdown": "≤ 2 ms",
}


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def duration(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs" if ns < 1e4 else f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def load(paths):
    groups = defaultdict(lambda: defaultdict(lambda: {"samples": [], "bytes": [], "runs": 0}))
    for path in paths:
        with open(path) as lines:
            for line in lines:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                row = json.loads(line)
                key = (row["scenario"], row["count"], row.get("siblings", 1))
                side = groups[key][row["impl"]]
                side["samples"] += row["samples_ns"]
                side["runs"] += 1
                if "bytes_per_unit" in row:
                    side["bytes"].append(row["bytes_per_unit"])
    return groups


def main(paths):
    groups = load(paths)
    print("| scenario | OTP median (p25–p75) | AshFlare median (p25–p75) | AshFlare ÷ OTP | target | runs × samples |")
    print("|---|---|---|---|---|---|")
    keys = sorted(groups, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1], k[2]))
    for key in keys:
        scenario, count, siblings = key
        sides = groups[key]
        label = LABELS.get(scenario, scenario).format(count=count)
        if siblings != 1:
            label += f", {siblings:,} siblings"
        cells, medians = [], {}
        for impl in ("otp", "ashflare"):
            side = sides.get(impl)
            if not side or not side["samples"]:
                cells.append("—")
                continue
            s = side["samples"]
            medians[impl] = quantile(s, 0.5)
            cells.append(f"**{duration(medians[impl])}** ({duration(quantile(s, 0.25))}–{duration(quantile(s, 0.75))})")
        ratio = f"{medians['ashflare'] / medians['otp']:.2f}" if len(medians) == 2 else "—"
        shape = " / ".join(f"{impl} {side['runs']}×{len(side['samples']) // max(1, side['runs'])}"
                           for impl, side in sorted(sides.items(), key=lambda kv: kv[0] != "otp"))
        print(f"| {label} | {cells[0]} | {cells[1]} | {ratio} | {TARGETS.get(scenario, '—')} | {shape} |")
        if any(side["bytes"] for side in sides.values()):
            bytes_ = {impl: quantile(side["bytes"], 0.5) for impl, side in sides.items() if side["bytes"]}
            cells = [f"{bytes_[impl]:,.0f} B" if impl in bytes_ else "—" for impl in ("otp", "ashflare")]
            ratio = f"{bytes_['ashflare'] / bytes_['otp']:.2f}" if len(bytes_) == 2 else "—"
            print(f"| … memory per child, {count:,} children | {cells[0]} | {cells[1]} | {ratio} | ≤ 2 KB | |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
