#!/usr/bin/env bash
# Counts instructions per unit of work for the benchmark scenarios with valgrind's callgrind
# (perf counters are not available on the 2-core VMs this project runs on) and prints where
# they go: by category and the hottest functions, demangled.
#
#   Benchmarks/profile.sh [OUT_DIR [SCENARIO SMALL LARGE [ARG]]...]
#   Benchmarks/profile.sh /tmp/prof crash 10000 20000 tree-start 2 4 --no-shutdown
#
# Each scenario of the `ashflare-profile` driver runs twice, at SMALL and LARGE units of work;
# callgrind-report.py divides the difference by LARGE - SMALL, so process start-up, set-up and
# tear-down cancel out. ARG `--no-shutdown` (start, tree-start) exits without shutting the
# trees down, so the run holds start-up work only; tree-shutdown runs include a start each,
# so shutdown alone is the tree-shutdown figure minus the tree-start one.
# valgrind 3.19 cannot read the DWARF 5 debug info Swift 6.3 emits, so the driver is profiled
# from a copy without debug info (the symbol table is kept, so functions keep their names).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-/tmp/ashflare-profile}"
shift || true
if [[ $# -eq 0 ]]; then
    set -- crash 10000 20000 - crash-observer 10000 20000 - start 1000 2000 --no-shutdown \
        one-for-all 50 100 - tree-start 2 4 --no-shutdown tree-snapshot 50 100 - tree-shutdown 2 4 -
fi

mkdir -p "$out"
(cd "$here" && swift build -c release -j "${BENCH_JOBS:-1}" --product ashflare-profile >&2)
driver="$out/ashflare-profile"
objcopy --strip-debug "$(cd "$here" && swift build -c release --show-bin-path)/ashflare-profile" "$driver"

while [[ $# -ge 4 ]]; do
    scenario="$1" small="$2" large="$3" extra="$4"
    shift 4
    [[ "$extra" == "-" ]] && extra=""
    for size in "$small" "$large"; do
        name="$scenario-$size"
        # shellcheck disable=SC2086
        valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" "$driver" "$scenario" "$size" $extra \
            > "$out/$name.stdout" 2> "$out/$name.valgrind"
    done
    echo "== $scenario $extra ($small → $large): $(head -1 "$out/$scenario-$large.stdout")"
    python3 "$here/callgrind-report.py" "$out/$scenario-$small.callgrind" "$small" \
        "$out/$scenario-$large.callgrind" "$large" --top 20 | tee "$out/$scenario.report.txt"
    echo
done
