#!/usr/bin/env bash
# End-to-end test of the dashboard's v3 features on the real binaries in tmux (120x40): the logs
# pane (`l`) on flare-demo's crashing process child (its lines, the previous incarnation with `L`,
# search, save with `w`), `R` recording the tree, `flare record --connect` on a served demo, and
# `flare replay` of both recordings (the timeline: play, step, jump; `--check` finds them exact).
#
#   scripts/e2e-dashboard-v3.sh            # builds flare-demo and flare (debug) first
#   FLARE_DEMO=… FLARE=… scripts/e2e-dashboard-v3.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-dashboard-v3: tmux is not installed" >&2; exit 1; }

E2E_NAME=e2e-dashboard-v3
session=e2e
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d)"
demo_pid=""
trap 'tmux_cleanup; [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null; rm -rf "$work"' EXIT
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
FLARE="${FLARE:-$(build_product flare)}"
[ -x "$FLARE_DEMO" ] || { echo "e2e-dashboard-v3: no flare-demo at $FLARE_DEMO" >&2; exit 1; }
[ -x "$FLARE" ] || { echo "e2e-dashboard-v3: no flare at $FLARE" >&2; exit 1; }

start_shell 120 40
tmx send-keys -t "$session" "cd '$work'" Enter

step "start flare-demo (the crashy process fails every 2-4 s)"
tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1; echo E2E-EXIT=\$?" Enter
wait_for 'AshFlare demo' 30

step "l on crashy opens its logs: its own stdout lines, each with the incarnation that wrote it"
select_by_filter crashy
tmx send-keys -t "$session" Escape l
wait_for 'Logs shop/processes/crashy \(live, following\)' 10
wait_for '#[0-9]+ +crashy: up as pid [0-9]+' 15

step "after a crash the new incarnation's lines follow the old ones; L shows the crashed one's last words"
wait_for '#[2-9] +crashy: up as pid' 30
tmx send-keys -t "$session" L
wait_for 'previous incarnation #[0-9]+' 10
wait_for '#[0-9]+ .*crashy: (exiting with status [0-9]|segfaulting)' 10
wait_gone 'reading…' 10

step "/ searches inside the pane; w saves the lines and shows where"
tmx send-keys -t "$session" /
tmx send-keys -t "$session" -l "up as pid"
tmx send-keys -t "$session" Enter
wait_for 'match [0-9]+ of [0-9]+ for up as pid' 10
tmx send-keys -t "$session" w
wait_for "saved [0-9]+ lines to $work/ashflare-shop-processes-crashy-previous.log" 10
grep -q 'crashy: up as pid' "$work/ashflare-shop-processes-crashy-previous.log" || fail "the saved file lacks the lines"

step "L back to live, W wraps, Esc closes the pane"
tmx send-keys -t "$session" L W
wait_for 'Logs shop/processes/crashy \(live, following\) .* wrap' 10
tmx send-keys -t "$session" Escape Escape
wait_for 'logs closed' 10
wait_for 'INTENSITY' 10

step "R records the tree; R again stops and says how much was recorded"
tmx send-keys -t "$session" R
wait_for "recording shop to $work/ashflare-shop-[0-9]+-[0-9]+\\.rec \\(R stops\\)" 10
wait_for '● REC' 5
sleep 4
tmx send-keys -t "$session" R
wait_for "recorded [0-9]+ events \\([0-9]+ checks\\) to $work/ashflare-shop-" 10
tmx send-keys -t "$session" q
wait_for 'E2E-EXIT=0' 20
recording="$(ls "$work"/ashflare-shop-*.rec | head -n 1)"
[ -s "$recording" ] || fail "no recording written"
head -n 1 "$recording" | grep -q '"ashflareRecording":1,"tree":"shop"' || fail "bad header: $(head -c 200 "$recording")"

step "flare replay --check: the tree rebuilt from the events equals every check snapshot"
tmx send-keys -t "$session" "clear; '$FLARE' replay '$recording' --check; echo E2E-EXIT=\$?" Enter
wait_for 'E2E-EXIT=0' 30
wait_for 'the replay is exact' 5

step "flare replay: the timeline; space plays, . steps, t jumps, q quits"
tmx send-keys -t "$session" "clear; '$FLARE' replay '$recording'; echo E2E-EXIT=\$?" Enter
wait_for 'flare replay REPLAY shop' 20
wait_for '‖ +1x │.*│ 0\.000 / [0-9.:]+ +event 0/[0-9]+' 10
tmx send-keys -t "$session" .
wait_for 'event 1/[0-9]+' 10
tmx send-keys -t "$session" t
tmx send-keys -t "$session" -l "100%"
tmx send-keys -t "$session" Enter
wait_for 'event ([0-9]+)/\1' 10
tmx send-keys -t "$session" ,
tmx send-keys -t "$session" t
tmx send-keys -t "$session" -l "0"
tmx send-keys -t "$session" Enter "+" "+" " "
wait_for '▶ +4x' 10
wait_for 'event [1-9][0-9]*/' 10
tmx send-keys -t "$session" q
wait_for 'E2E-EXIT=0' 20

step "flare record --connect on a served demo, then flare replay --check and --once"
sock="$work/shop.sock"
"$FLARE_DEMO" --headless --serve "unix://$sock" --fail-every 0.5 --seconds 30 > "$work/demo.out" 2>&1 &
demo_pid=$!
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || fail "the served demo did not create its socket"
"$FLARE" record --connect "unix://$sock" "$work/served.rec" --seconds 3 --check-every 20 > "$work/record.out" 2>&1 || fail "flare record failed: $(cat "$work/record.out")"
grep -Eq 'recorded [1-9][0-9]* events, [0-9]+ checks' "$work/record.out" || fail "no summary: $(cat "$work/record.out")"
"$FLARE" replay "$work/served.rec" --check > "$work/check.out" 2>&1 || fail "replay --check failed: $(cat "$work/check.out")"
grep -q 'the replay is exact' "$work/check.out" || fail "not exact: $(cat "$work/check.out")"
"$FLARE" replay "$work/served.rec" --once --at 50% --width 100 --height 24 > "$work/frame.out" 2>&1 || fail "replay --once failed"
grep -q 'REPLAY shop' "$work/frame.out" || fail "no replay frame: $(cat "$work/frame.out")"
kill "$demo_pid" 2>/dev/null || true
wait "$demo_pid" 2>/dev/null || true
demo_pid=""

step "a bad recording is refused naming the file and the line"
head -n 2 "$work/served.rec" > "$work/bad.rec"
echo '{"event":{"sequence":"x"}}' >> "$work/bad.rec"
status=0
"$FLARE" replay "$work/bad.rec" --check > "$work/bad.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "a bad recording gave exit $status: $(cat "$work/bad.out")"
grep -q "bad.rec:3: bad event" "$work/bad.out" || fail "no line in the error: $(cat "$work/bad.out")"

echo "e2e-dashboard-v3: all checks passed"
