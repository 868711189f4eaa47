#!/usr/bin/env python3
"""The table of scripts/bench-vs-process-supervisors.sh: medians of every sample of every round
per peer and scenario, and AshFlare's ratio to the best peer (lower is better everywhere).

    python3 scripts/procbench-table.py FILE.jsonl [FILE.jsonl ...]
"""
import json
import statistics
import sys

PEERS = ["s6", "runit", "supervisord"]
ROWS = [  # (metric, n, label, unit)
    ("start", 100, "start 100 processes until all run", "ms"),
    ("start", 1000, "start 1,000 processes until all run", "ms"),
    ("stop", 100, "stop 100 (SIGTERM) until all exited", "ms"),
    ("stop", 1000, "stop 1,000 (SIGTERM) until all exited", "ms"),
    ("pss-per-process", 100, "supervisor PSS per process, 100", "KiB"),
    ("pss-per-process", 1000, "supervisor PSS per process, 1,000", "KiB"),
    ("idle-cpu", 1000, "idle CPU with 1,000 children", "% of a core"),
    ("crash-restart", 100, "crash -> restart of one process", "ms"),
]
SCALE = {"ms": 1000, "KiB": 1 / 1024, "% of a core": 1}


def main():
    samples = {}
    for path in sys.argv[1:]:
        with open(path) as file:
            for line in file:
                record = json.loads(line)
                # Before 2026-12-02 idle CPU read only the main thread's schedstat: right for the
                # single-threaded peers, an undercount for AshFlare's multi-threaded process.
                if record["metric"] == "idle-cpu" and record["peer"].startswith("ashflare") and "threads" not in record:
                    continue
                samples.setdefault((record["peer"], record["metric"], record["n"]), []).append(record["value"])

    def median(peer, metric, n, unit):
        values = samples.get((peer, metric, n))
        return statistics.median(values) * SCALE[unit] if values else None

    def text(value):
        if value is None:
            return "-"
        return f"{value:,.3f}" if value < 1 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"

    header = ["scenario", "unit"] + PEERS + ["AshFlare", "AshFlare / best peer"]
    rows = []
    for metric, n, label, unit in ROWS:
        peers = [median(p, metric, n, unit) for p in PEERS]
        ours = median("ashflare", metric, n, unit)
        best = min((v for v in peers if v is not None), default=None)
        ratio = f"{ours / best:.2f}x" if ours is not None and best else "-"
        if ours is not None and best == 0:
            ratio = "1.00x" if ours == 0 else "above a peer at 0"
        rows.append([label, unit] + [text(v) for v in peers] + [text(ours), ratio])
        if metric == "crash-restart":
            backoff = median("ashflare (backoff)", metric, n, unit)
            ratio = f"{backoff / best:.2f}x" if backoff is not None and best else "-"
            rows.append(["  same, AshFlare with its default backoff", unit, "", "", "", text(backoff), ratio])
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + " |")
    counts = {}
    for (peer, metric, n), values in samples.items():
        counts[peer] = counts.get(peer, 0) + len(values)
    print("samples: " + ", ".join(f"{peer} {count}" for peer, count in sorted(counts.items())))


if __name__ == "__main__":
    main()
