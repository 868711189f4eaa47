#!/usr/bin/env bash
# Runs the AshFlare benchmark suite (Benchmarks/, its own Swift package) from the repository root.
#
#   scripts/bench.sh                         # all benchmarks, text table on stdout
#   scripts/bench.sh --filter 'crash.*'      # any other option goes to `swift package benchmark`
#   scripts/bench.sh --export out/bench      # also write machine-readable results into out/bench:
#                                            #   *.histogram.json        full HDR histogram per benchmark
#                                            #                           and metric (histogramEncoded)
#                                            #   *.percentiles.tsv       p0…p100 per benchmark and metric
#                                            #                           (histogramPercentiles, for plots)
#                                            #   current.json            p99 per benchmark and metric in
#                                            #                           github-action-benchmark form
#                                            #                           (jsonSmallerIsBetter)
#
# The suite runs once; the exports are read back from the stored baseline `current`
# (Benchmarks/.benchmarkBaselines/, ignored by git), so every file describes the same run.
# Builds use one job by default (the machine has 2 cores); set BENCH_JOBS to change that.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export_dir=""
passthrough=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --export)
            [[ $# -ge 2 ]] || { echo "--export needs a directory" >&2; exit 2; }
            export_dir="$2"
            shift 2
            ;;
        --export=*)
            export_dir="${1#--export=}"
            shift
            ;;
        *)
            passthrough+=("$1")
            shift
            ;;
    esac
done

cd "$root/Benchmarks"
swift build -c release -j "${BENCH_JOBS:-1}" >&2
benchmark=(swift package --allow-writing-to-package-directory benchmark)

if [[ -z "$export_dir" ]]; then
    exec "${benchmark[@]}" --no-progress "${passthrough[@]}"
fi

mkdir -p "$export_dir"
export_dir="$(cd "$export_dir" && pwd)"
"${benchmark[@]}" baseline update current --no-progress "${passthrough[@]}"
"${benchmark[@]}" baseline read current --no-progress
"${benchmark[@]}" baseline read current --no-progress --format histogramEncoded --path "$export_dir" >/dev/null
"${benchmark[@]}" baseline read current --no-progress --format histogramPercentiles --path "$export_dir" >/dev/null
"${benchmark[@]}" baseline read current --no-progress --format jsonSmallerIsBetter --path "$export_dir" >/dev/null
echo "results exported to $export_dir" >&2
