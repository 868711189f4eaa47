#!/usr/bin/env bash
# The OTP differential suite (issue 13; docs/OTP-DIFF.md): the same random trees and fault
# scripts on real Erlang/OTP `supervisor` and on AshFlare (backoff off, ManualClock), compared
# step by step.
#
#   scripts/otp-diff.sh [--scenarios N] [--seed S] [--long] [--file F.json[l]] [--repros DIR]
#                       [--quiet] [--against-itself otp|ours] [--no-build]
#
# Short mode (the default): 300 scenarios from seed 1, what CI runs. --long: 10,000 scenarios.
# --file runs given scenarios instead (e.g. a repro in Tools/OtpDiff/repros/). --repros DIR
# writes one minimised repro per divergence category. --against-itself runs one side twice
# (0 divergences shows that side is deterministic). Installs Debian's erlang-nox if missing,
# compiles Tools/OtpDiff/erlang/*.erl into .build-otp/otpdiff-ebin and builds `flare-otp-diff`.
# Prints every divergence (scenario seed, step, both sides) and a summary line; exits 1 on any
# divergence.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh

scenarios=300
seed=1
BUILD=1
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --scenarios) scenarios="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --long) scenarios=10000; shift ;;
        --file|--repros|--against-itself) extra+=("$1" "$2"); shift 2 ;;
        --quiet|--without-start-failures) extra+=("$1"); shift ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

ensure_erlang
ebin=.build-otp/otpdiff-ebin
mkdir -p "$ebin"
erlc -Wall -Werror -o "$ebin" Tools/OtpDiff/erlang/*.erl
if [ "$BUILD" = 1 ]; then
    log "building flare-otp-diff"
    swift build --product flare-otp-diff >&2
fi
ours="$(swift build --show-bin-path)/flare-otp-diff"
[ -x "$ours" ] || { echo "$ours is missing (run without --no-build)" >&2; exit 1; }
exec python3 Tools/OtpDiff/python/otpdiff.py --ebin "$ebin" --ours "$ours" \
    --scenarios "$scenarios" --seed "$seed" ${extra[@]+"${extra[@]}"}
