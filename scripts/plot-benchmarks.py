#!/usr/bin/env python3
"""The scaling curves of docs/BENCHMARKS.md, from the JSON lines of `ashflare-profile … --json`
and Benchmarks/otp/ashflare_bench.erl (run by scripts/plot-benchmarks.sh, which makes the venv).

    python plot-benchmarks.py OUTDIR RESULTS.jsonl...

Writes OUTDIR/scaling-start.png (time and bytes per child against N), scaling-crash.png
(crash → restart cycle against the number of siblings) and scaling-dashboard.png (frame time
against node count). Each point is the median of all samples for that size, with a bar from
p25 to p75; the brief's targets are dashed lines.
"""
import json
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

STYLE = {
    "ashflare": {"label": "AshFlare", "color": "#d1495b", "marker": "o"},
    "otp": {"label": "Erlang/OTP 25", "color": "#00798c", "marker": "s"},
}
# Where each side's value labels go (points offset from the marker): AshFlare above, OTP below.
LABEL_OFFSET = {"ashflare": (6, 6), "otp": (6, -13)}


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


def load(paths):
    """(impl, scenario) -> size -> {"samples": [...], "bytes": [...]}; size is count, siblings or nodes."""
    data = defaultdict(lambda: defaultdict(lambda: {"samples": [], "bytes": []}))
    for path in paths:
        with open(path) as lines:
            for line in lines:
                if not line.startswith("{"):
                    continue
                row = json.loads(line)
                scenario = row["scenario"]
                if scenario == "crash-fresh":
                    size = row.get("siblings", 1)
                elif scenario == "dashboard-frame":
                    size = row["nodes"]
                elif scenario == "start":
                    size = row["count"]
                else:
                    continue
                point = data[(row["impl"], scenario)][size]
                point["samples"] += row["samples_ns"]
                if "bytes_per_unit" in row:
                    point["bytes"].append(row["bytes_per_unit"])
    return data


def series(points, field, scale):
    sizes = sorted(size for size, point in points.items() if point[field])
    mid = [quantile(points[s][field], 0.5) / scale for s in sizes]
    low = [m - quantile(points[s][field], 0.25) / scale for s, m in zip(sizes, mid)]
    high = [quantile(points[s][field], 0.75) / scale - m for s, m in zip(sizes, mid)]
    return sizes, mid, [low, high]


def count_label(value, _position=None):
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value >= 1e3:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def curve(axis, data, scenario, field, scale, annotate=None):
    for impl, style in STYLE.items():
        points = data.get((impl, scenario))
        if not points:
            continue
        sizes, mid, error = series(points, field, scale)
        if not sizes:
            continue
        axis.errorbar(sizes, mid, yerr=error, capsize=3, linewidth=1.8, markersize=6, **style)
        if annotate:
            for size, value in zip(sizes, mid):
                axis.annotate(annotate(value), (size, value), textcoords="offset points", xytext=LABEL_OFFSET[impl],
                              ha="left", fontsize=8, color=style["color"])
    axis.set_xscale("log")
    axis.xaxis.set_major_formatter(FuncFormatter(count_label))
    axis.grid(True, which="major", alpha=0.35)
    axis.grid(True, which="minor", alpha=0.12)


def log_y(axis):
    axis.set_yscale("log")
    axis.yaxis.set_major_locator(LogLocator(base=10, subs=(1, 2, 3, 5)))
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.yaxis.set_minor_formatter(NullFormatter())


def target(axis, value, text):
    axis.axhline(value, color="#444444", linestyle="--", linewidth=1)
    axis.annotate(text, (0.01, value), xycoords=("axes fraction", "data"), textcoords="offset points",
                  xytext=(2, 4), fontsize=8, color="#444444")


def plot_start(data, out):
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    curve(left, data, "start", "samples", 1e3, annotate=lambda v: f"{v:.1f}")
    log_y(left)
    target(left, 3, "target ≤ 3 µs")
    left.set_xlabel("children N under one supervisor (log scale)")
    left.set_ylabel("start time per child (µs, log scale)")
    left.set_title("Start N idle children: time per child")
    left.legend(loc="upper left", bbox_to_anchor=(0, 0.93))
    curve(right, data, "start", "bytes", 1024, annotate=lambda v: f"{v:.1f}")
    right.set_ylim(bottom=0)
    target(right, 2, "target ≤ 2 KB")
    right.set_xlabel("children N under one supervisor (log scale)")
    right.set_ylabel("memory per child (KiB)")
    right.set_title("Start N idle children: memory per child")
    right.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(os.path.join(out, "scaling-start.png"), dpi=110)


def plot_crash(data, out):
    figure, axis = plt.subplots(figsize=(7.5, 4.6))
    curve(axis, data, "crash-fresh", "samples", 1e3, annotate=lambda v: f"{v:.1f}")
    log_y(axis)
    target(axis, 2, "target ≤ 2 µs")
    axis.set_xlabel("children of the supervisor: the crashing worker + idle siblings (log scale)")
    axis.set_ylabel("crash → restart cycle (µs, log scale)")
    axis.set_title("Crash → restart latency against supervisor size (one-for-one)")
    axis.legend(loc="upper left", bbox_to_anchor=(0, 0.93))
    figure.tight_layout()
    figure.savefig(os.path.join(out, "scaling-crash.png"), dpi=110)


def plot_dashboard(data, out):
    figure, axis = plt.subplots(figsize=(7.5, 4.6))
    curve(axis, data, "dashboard-frame", "samples", 1e6, annotate=lambda v: f"{v:.2f} ms")
    log_y(axis)
    target(axis, 2, "target ≤ 2 ms (at 10k nodes)")
    axis.set_xlabel("nodes in the tree (log scale)")
    axis.set_ylabel("frame time, model → styled lines (ms, log scale)")
    axis.set_title("Dashboard frame (160 × 48) against tree size")
    axis.legend(loc="upper left", bbox_to_anchor=(0, 0.93))
    figure.tight_layout()
    figure.savefig(os.path.join(out, "scaling-dashboard.png"), dpi=110)


def main(out, paths):
    data = load(paths)
    os.makedirs(out, exist_ok=True)
    plot_start(data, out)
    plot_crash(data, out)
    plot_dashboard(data, out)
    for name in ("scaling-start.png", "scaling-crash.png", "scaling-dashboard.png"):
        print(os.path.join(out, name))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
