#!/usr/bin/env bash
# AshFlare and Erlang/OTP side by side, in one run (issue #8; docs/BENCHMARKS.md, "Side by side
# with Erlang/OTP").
#
#   scripts/bench-vs-otp.sh [--rounds R] [--out FILE.jsonl] [--no-build] [--taskset CPUS]
#
# Installs Debian's erlang-nox if missing, compiles Benchmarks/otp/*.erl, builds the release
# `ashflare-profile` driver, then runs every scenario R times (default 5) alternating OTP and
# AshFlare (OTP, ours, OTP, ours, …), each run a fresh OS process printing one JSON line of
# samples. All lines go to FILE.jsonl (default .build-otp/vs-otp-<UTC time>.jsonl); the table
# (median of all samples of all rounds per side, and the ratio) is printed at the end.
# --taskset CPUS runs both sides under `taskset -c CPUS` (e.g. 1: one core).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh

rounds=5
out=""
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --taskset) CPUS="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || out=".build-otp/vs-otp-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

ensure_erlang
compile_otp
build_driver
mkdir -p "$(dirname "$out")"
: > "$out"

# Each line: the scenario's arguments, the same for both sides.
scenarios=(
    "crash 1000 --samples 9 --warmup-ms 2500"   # long-lived supervisor, restart history at steady size
    "crash 100 --samples 21 --fresh"            # a new supervisor per 100 cycles
    "start 1000 --samples 9"
    "start 10000 --samples 3"
    "start 100000 --samples 1"
    "one-for-all 100"
    "tree-start 20"
    "tree-snapshot 200"
    "tree-shutdown 20"
)

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); OTP $(otp_version); $(swift --version 2>/dev/null | head -1)"
[ -z "${CPUS:-}" ] || log "both sides pinned: taskset -c $CPUS"
log "load before: $(uptime)"
for round in $(seq 1 "$rounds"); do
    for scenario in "${scenarios[@]}"; do
        args=(${scenario%%#*})
        log "round $round/$rounds: ${args[*]}"
        run_otp "${args[@]}" >> "$out"
        run_ours "${args[@]}" >> "$out"
    done
done
log "load after: $(uptime)"
log "results: $out"
python3 scripts/bench-table.py "$out"
