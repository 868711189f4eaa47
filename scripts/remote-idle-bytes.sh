#!/usr/bin/env bash
# Idle bytes per second on the wire between a dashboard and a 100k-node remote tree
# (docs/BENCHMARKS.md, "Remote dashboard: idle traffic").
#
# flare-fixture serves an idle tree on a Unix socket; scripts/lib/count-proxy.py sits between it and
# the client and counts bytes. Two clients are measured for SECONDS each, after their first snapshot:
#   before: scripts/lib/old-feed.py — the feed as it was: subscribe, then a full snapshot every 2 s;
#   after:  the real `flare top` in tmux — events only, no periodic re-read.
#
#   scripts/remote-idle-bytes.sh                    # builds flare and flare-fixture (debug) first
#   NODES=10000 SECONDS_EACH=20 scripts/remote-idle-bytes.sh    # NODES ≥ 10000: a snapshot must exceed 1 MB
#   FLARE=… FLARE_FIXTURE=… scripts/remote-idle-bytes.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "remote-idle-bytes: tmux is not installed" >&2; exit 1; }
if [ -z "${FLARE:-}" ] || [ -z "${FLARE_FIXTURE:-}" ]; then
    swift build --product flare >/dev/null
    swift build --product flare-fixture >/dev/null
    bin="$(swift build --show-bin-path)"
    FLARE="${FLARE:-$bin/flare}"
    FLARE_FIXTURE="${FLARE_FIXTURE:-$bin/flare-fixture}"
fi
nodes="${NODES:-100000}"
seconds="${SECONDS_EACH:-30}"

work="$(mktemp -d /tmp/afi-XXXXXX)"
session="afi-$$"
pids=()
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

"$FLARE_FIXTURE" --socket "$work/tree.sock" --nodes "$nodes" >"$work/fixture.log" 2>&1 &
pids+=($!)
# The socket appears once the whole tree has started (its stdout is buffered when redirected).
for _ in $(seq 1 3000); do [ -S "$work/tree.sock" ] && break; sleep 0.1; done
[ -S "$work/tree.sock" ] || { echo "remote-idle-bytes: flare-fixture did not start" >&2; cat "$work/fixture.log" >&2; exit 1; }

received() { cut -d' ' -f1 "$1"; }
sent() { cut -d' ' -f2 "$1"; }

# Waits until the client's first snapshot has arrived: more than a megabyte, and the count has
# stopped growing for 2 s (the hello reply alone is ~120 bytes, while the server builds the snapshot).
settle() {
    local stats="$1" last=-1 now
    for _ in $(seq 1 300); do
        sleep 2
        now="$(received "$stats" 2>/dev/null || echo 0)"
        if [ "$now" -gt 1000000 ] && [ "$now" = "$last" ]; then return 0; fi
        last="$now"
    done
    echo "remote-idle-bytes: the client never settled" >&2
    exit 1
}

# measure NAME STATS: bytes/s to the client over $seconds, after a snapshot-sized start.
measure() {
    local name="$1" stats="$2" start end up_start up_end
    start="$(received "$stats")"
    up_start="$(sent "$stats")"
    sleep "$seconds"
    end="$(received "$stats")"
    up_end="$(sent "$stats")"
    echo "$name: $(( (end - start) / seconds )) bytes/s to the client, $(( (up_end - up_start) / seconds )) bytes/s to the server, over ${seconds}s (bytes to the client before: $start)"
}

# Before: the old feed's traffic. It never settles (a snapshot every 2 s), so wait for the first one.
python3 scripts/lib/count-proxy.py "$work/before.sock" "$work/tree.sock" "$work/before.stats" &
pids+=($!)
sleep 1
python3 scripts/lib/old-feed.py "$work/before.sock" 2 &
old=$!
pids+=($old)
for _ in $(seq 1 600); do
    [ "$(received "$work/before.stats" 2>/dev/null || echo 0)" -gt 1000000 ] && break
    sleep 0.2
done
sleep 2
measure "before (subscribe + snapshot every 2 s)" "$work/before.stats"
kill "$old" 2>/dev/null || true

# After: the real dashboard.
python3 scripts/lib/count-proxy.py "$work/after.sock" "$work/tree.sock" "$work/after.stats" &
pids+=($!)
sleep 1
tmux new-session -d -s "$session" -x 120 -y 40 "$FLARE top --connect unix://$work/after.sock --no-mouse"
settle "$work/after.stats"
measure "after (flare top: events only)" "$work/after.stats"
