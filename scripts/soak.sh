#!/usr/bin/env bash
# Chaos soak of a 1,011-node tree: scripts/soak.sh [--minutes N] [extra flare-soak options]
# Runs a release build; exits non-zero on any invariant violation.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=1
if [ "${1:-}" = "--minutes" ]; then minutes=$2; shift 2; fi
seconds=$(awk "BEGIN { print $minutes * 60 }")
swift build -c release --product flare-soak >/dev/null
exec "$(swift build -c release --show-bin-path)/flare-soak" --seconds "$seconds" "$@"
