#!/usr/bin/env bash
# Rewrites the dashboard's text snapshots (Tests/AshFlareDashboardTests/__Snapshots__/*.txt) from
# the current renderer, then runs the tests again, which must pass. Review `git diff` after it.
#
# Rewriting needs both ASHFLARE_SNAPSHOTS=rewrite and the marker file __Snapshots__/.rewrite,
# which only this script creates (and removes on every exit); under CI (CI set) it never rewrites.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CI:-}" ]; then echo "update-snapshots: refusing to rewrite snapshots under CI" >&2; exit 2; fi
marker=Tests/AshFlareDashboardTests/__Snapshots__/.rewrite
trap 'rm -f "$marker"' EXIT
swift build --build-tests
touch "$marker"
ASHFLARE_SNAPSHOTS=rewrite swift test --skip-build --filter AshFlareDashboardTests >/dev/null 2>&1 || true
rm -f "$marker"
swift test --skip-build --filter AshFlareDashboardTests
git status --short Tests/AshFlareDashboardTests/__Snapshots__
