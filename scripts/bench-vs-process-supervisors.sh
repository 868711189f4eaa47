#!/usr/bin/env bash
# AshFlare, s6, runit and supervisord supervising the same processes, side by side in one run
# (issue 14; docs/BENCHMARKS.md, "Side by side with process supervisors").
#
#   scripts/bench-vs-process-supervisors.sh [--rounds R] [--idle-seconds S] [--crash-samples K]
#                                           [--taskset CPUS] [--out FILE.jsonl] [--no-build]
#
# Installs Debian's s6, runit and supervisor if missing (apt-get, as root or with sudo), compiles
# Benchmarks/procbench/procbench-sleep.c (`sleep infinity` that writes its pid to a FIFO once it
# runs) and the release `flare-procbench` driver (AshFlare's side), then runs scripts/procbench.py:
# R rounds (default 3), the peers alternating in a rotating order, each case a fresh supervisor:
# start 100 / 1,000 processes until all run, the supervisor's PSS per process, idle CPU with
# 1,000 children over S seconds (default 5, a smoke run; 30 for the recorded figures),
# crash -> restart of one of 100 processes (K samples, default 5; AshFlare with backoff off and
# on), stop all (SIGTERM) until all exited. Prints the table of medians and ratios.
# --taskset CPUS runs every supervisor (and so its children) under `taskset -c CPUS`.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
idle=5
crash=5
cpus=""
out=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --idle-seconds) idle="$2"; shift 2 ;;
        --crash-samples) crash="$2"; shift 2 ;;
        --taskset) cpus="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
work=.build-procbench
[ -n "$out" ] || out="$work/vs-process-supervisors-$(date -u +%Y%m%dT%H%M%SZ).jsonl"

log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages whose commands are missing (only those).
missing=()
command -v s6-svscan >/dev/null || missing+=(s6)
command -v runsvdir >/dev/null || missing+=(runit)
command -v supervisord >/dev/null || missing+=(supervisor)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian)"
    if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
        echo "${missing[*]} missing and neither root nor sudo is available" >&2; exit 1
    fi
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

mkdir -p "$work" "$(dirname "$out")"
cc -O2 -Wall -Wextra -Werror -o "$work/procbench-sleep" Benchmarks/procbench/procbench-sleep.c
if [ "$build" = 1 ]; then
    log "building flare-procbench (release)"
    swift build -c release --product flare-procbench -j 2 >&2
fi
driver="$(swift build -c release --show-bin-path)/flare-procbench"
[ -x "$driver" ] || { echo "$driver is missing (run without --no-build)" >&2; exit 1; }

versions="s6 $(dpkg-query -W -f='${Version}' s6 2>/dev/null || echo '?'), runit $(dpkg-query -W -f='${Version}' runit 2>/dev/null || echo '?'), supervisord $(supervisord --version)"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $versions; $(swift --version 2>/dev/null | head -1)"
[ -z "$cpus" ] || log "every supervisor pinned: taskset -c $cpus"
log "load before: $(uptime)"
python3 scripts/procbench.py --rounds "$rounds" --idle-seconds "$idle" --crash-samples "$crash" \
    --taskset "$cpus" --sleeper "$PWD/$work/procbench-sleep" --driver "$driver" --out "$out"
log "load after: $(uptime)"
log "results: $out"
python3 scripts/procbench-table.py "$out"
