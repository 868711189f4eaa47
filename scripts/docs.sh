#!/usr/bin/env bash
# Builds the DocC catalogs and fails on any DocC warning (broken links, missing symbols).
set -euo pipefail
cd "$(dirname "$0")/.."
graphs=$(mktemp -d)
out=${1:-$(mktemp -d)}
swift build --scratch-path .build-docs --target AshFlare -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" >/dev/null
report=$(docc convert Sources/AshFlare/AshFlare.docc --additional-symbol-graph-dir "$graphs" \
    --output-dir "$out/AshFlare.doccarchive" --fallback-display-name AshFlare --fallback-bundle-identifier ashflare 2>&1)
if echo "$report" | grep -E 'warning|error'; then
    echo "DocC reported problems (above)" >&2
    exit 1
fi
echo "documentation built in $out"
