#!/usr/bin/env bash
# The scaling curves (issue #8): PNGs in docs/ from benchmark JSON lines.
#
#   scripts/plot-benchmarks.sh --collect [--no-build] [--out FILE.jsonl] [--max 1000000] [--taskset CPUS]
#       runs the sweeps below (OTP and AshFlare alternating, point by point) into FILE.jsonl
#       (default .build-otp/curves-<UTC time>.jsonl), then plots it
#   scripts/plot-benchmarks.sh FILE.jsonl...
#       plots existing results (e.g. Benchmarks/results/…/curves.jsonl, or bench-vs-otp output)
#
# Sweeps: start N idle children, N = 1k … --max (time and bytes per child); crash → restart
# with a fresh one-for-one supervisor of 1 … 10k children; dashboard frame for 1k/10k/100k
# nodes (AshFlare only). The 1M start takes about 100 s for AshFlare and 60 s for OTP
# (including shutdown) and needs ≈ 6.5 GB and ≈ 4 GB of RAM.
#
# matplotlib comes from PyPI into the venv .build-venv/ (git-ignored), made on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh

collect=0
BUILD=1
out=""
max=1000000
files=()
while [ $# -gt 0 ]; do
    case "$1" in
        --collect) collect=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --out) out="$2"; shift 2 ;;
        --max) max="$2"; shift 2 ;;
        --taskset) CPUS="$2"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) files+=("$1"); shift ;;
    esac
done

if [ "$collect" = 1 ]; then
    [ -n "$out" ] || out=".build-otp/curves-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
    ensure_erlang
    compile_otp
    build_driver
    mkdir -p "$(dirname "$out")"
    : > "$out"
    log "load before: $(uptime)"
    both() { log "$*"; run_otp "$@" >> "$out"; run_ours "$@" >> "$out"; }
    for n in 1000 3000 10000 30000 100000 300000 1000000; do
        [ "$n" -le "$max" ] || continue
        case "$n" in 1000) k=7 ;; 3000|10000) k=3 ;; *) k=1 ;; esac
        started=$(date +%s)
        both start "$n" --samples "$k"
        log "start $n took $(( $(date +%s) - started )) s for both sides"
    done
    for siblings in 1 10 100 1000 10000; do
        both crash 100 --samples 15 --fresh --siblings "$siblings"
    done
    for nodes in 1000 10000 100000; do
        log "dashboard-frame --nodes $nodes"
        run_ours dashboard-frame 100 --nodes "$nodes" >> "$out"
    done
    log "load after: $(uptime)"
    log "results: $out"
    files+=("$out")
fi
[ "${#files[@]}" -gt 0 ] || { sed -n '2,15p' "$0" >&2; exit 2; }

venv=.build-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
    log "creating $venv with matplotlib (PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q matplotlib
fi
"$venv/bin/python" scripts/plot-benchmarks.py docs "${files[@]}"
