#!/usr/bin/env bash
# Hostile conditions for `flare top` in real tmux: a 100k-node tree with CJK, emoji and
# 200-character names (served by flare-fixture on a Unix socket), a 10x3 terminal, a resize storm,
# the serving process killed while attached (idle, and mid-frame during a ~30 MB snapshot), and quitting by q, SIGINT (Ctrl-C) and
# SIGTERM — each time the terminal must be restored exactly (`stty -g` as before, main screen);
# then flare-demo --serve stopped by SIGINT and SIGTERM must remove its socket file.
#
#   scripts/e2e-dashboard-stress.sh                 # builds flare and flare-fixture (debug) first
#   NODES=20000 scripts/e2e-dashboard-stress.sh     # a smaller tree
#   FLARE=… FLARE_FIXTURE=… FLARE_DEMO=… scripts/e2e-dashboard-stress.sh   # prebuilt binaries
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-stress: tmux is not installed" >&2; exit 1; }
if [ -z "${FLARE:-}" ] || [ -z "${FLARE_FIXTURE:-}" ] || [ -z "${FLARE_DEMO:-}" ]; then
    swift build --product flare >/dev/null
    swift build --product flare-fixture >/dev/null
    swift build --product flare-demo >/dev/null
    bin="$(swift build --show-bin-path)"
    FLARE="${FLARE:-$bin/flare}"
    FLARE_FIXTURE="${FLARE_FIXTURE:-$bin/flare-fixture}"
    FLARE_DEMO="${FLARE_DEMO:-$bin/flare-demo}"
fi
nodes="${NODES:-100000}"

E2E_NAME=e2e-stress
session="stress"
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d /tmp/afs-XXXXXX)"
sock="$work/tree.sock"
fixture_pid=""
cleanup() {
    tmux_cleanup
    [ -n "$fixture_pid" ] && kill "$fixture_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

top_pid() { pgrep -P "$(tmx display -p -t "$session" '#{pane_pid}')" -f 'flare top' | head -n 1; }
alive() { [ -n "$(top_pid)" ] || fail "flare top is not running any more ($*)"; }
# The widest line on screen, in terminal columns (wc -L counts a CJK character or emoji as 2).
widest() { screen | LC_ALL=C.UTF-8 wc -L; }

tmx new-session -d -s "$session" -x 120 -y 40 \
    "env -i PATH=\"$PATH\" HOME=\"$HOME\" TERM=tmux-256color LANG=C.UTF-8 PS1='STRESS-PROMPT\$ ' bash --norc --noprofile"
wait_for 'STRESS-PROMPT\$' 10
tmx send-keys -t "$session" "stty -g > '$work/stty.before'; clear" Enter
sleep 0.5

# start_top: flare top in the pane; the exit code is printed when it ends.
start_top() {
    tmx send-keys -t "$session" "clear; '$FLARE' top --connect 'unix://$sock'; echo STRESS-EXIT=\$?" Enter
    wait_for 'flare top' 30
    [ "$(tmx display -p -t "$session" '#{alternate_on}')" = 1 ] || fail "flare top did not switch to the alternate screen"
}

# check_stty_restored REASON: exit 0, the prompt back, the main screen, and `stty -g` exactly as before.
check_stty_restored() {
    wait_for 'STRESS-EXIT=0' 20
    [ "$(tmx display -p -t "$session" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after $1"
    tmx send-keys -t "$session" "stty -g > '$work/stty.after'; echo STTY-SAVED" Enter
    wait_for 'STTY-SAVED$' 10
    cmp -s "$work/stty.before" "$work/stty.after" || fail "terminal modes differ after $1: $(cat "$work/stty.before") vs $(cat "$work/stty.after")"
    tmx send-keys -t "$session" "clear" Enter
    sleep 0.3
}

step "serve a ${nodes}-node tree with wide and long names"
"$FLARE_FIXTURE" --socket "$sock" --nodes "$nodes" >/dev/null 2>&1 &
fixture_pid=$!
for ((i = 0; i < 600; i++)); do [ -S "$sock" ] && break; sleep 0.2; done
[ -S "$sock" ] || { echo "e2e-stress: FAIL: flare-fixture did not start serving" >&2; exit 1; }

step "attach flare top at 120x40: the big tree and its wide names draw within the width"
start_top
wait_for '组0-🔥-grüße' 60
wait_for '工作者0' 10
wait_for '😀-1-🚀' 10
wait_for 'w3-長い名前' 10
[ "$(widest)" -le 120 ] || fail "a line is wider than 120 columns ($(widest))"

step "filter for the 200-character names"
tmx send-keys -t "$session" '/' ; tmx send-keys -t "$session" -l '長い'; tmx send-keys -t "$session" Enter
wait_for 'w10-長い名前' 20
[ "$(widest)" -le 120 ] || fail "a line is wider than 120 columns with long names ($(widest))"
tmx send-keys -t "$session" Escape

step "shrink to 10x3"
tmx resize-window -t "$session" -x 10 -y 3
wait_for '^Too' 20
alive "at 10x3"
[ "$(screen | wc -l)" -le 3 ] || fail "more than 3 lines at 10x3"
[ "$(widest)" -le 10 ] || fail "a line is wider than 10 columns at 10x3 ($(widest))"

step "resize storm: 200 sizes in quick succession"
for ((i = 0; i < 200; i++)); do
    tmx resize-window -t "$session" -x $((5 + RANDOM % 200)) -y $((2 + RANDOM % 60))
done
tmx resize-window -t "$session" -x 120 -y 40
alive "after the resize storm"
wait_for '组0-🔥-grüße' 20
[ "$(widest)" -le 120 ] || fail "a line is wider than 120 columns after the storm ($(widest))"

step "kill the serving process while attached: the node shows as disconnected, flare top stays"
kill -KILL "$fixture_pid"
wait "$fixture_pid" 2>/dev/null || true
fixture_pid=""
wait_for 'disconnected|unreachable|cannot reach' 20
sleep 1
alive "after the node went away"

step "quit with q: terminal restored"
tmx send-keys -t "$session" q
check_stty_restored q

step "kill a new serving process while its ~30 MB snapshot is in flight (mid-frame)"
rm -f "$sock"
"$FLARE_FIXTURE" --socket "$sock" --nodes "$nodes" >/dev/null 2>&1 &
fixture_pid=$!
for ((i = 0; i < 600; i++)); do [ -S "$sock" ] && break; sleep 0.2; done
start_top
sleep 0.3
kill -KILL "$fixture_pid"
wait "$fixture_pid" 2>/dev/null || true
fixture_pid=""
if screen | grep -q '组0-🔥'; then echo "    (note: the snapshot had fully arrived before the kill)"; else echo "    (the tree never arrived: the kill cut the snapshot frame)"; fi
wait_for 'disconnected|cannot reach' 20
sleep 1
alive "after the node went away mid-frame"

step "SIGINT (Ctrl-C) to flare top: terminal restored"
tmx send-keys -t "$session" C-c
check_stty_restored SIGINT

step "SIGTERM to flare top: terminal restored"
start_top
wait_for 'disconnected|cannot reach' 20
pid="$(top_pid)"
[ -n "$pid" ] || fail "could not find the flare top process"
kill -TERM "$pid"
check_stty_restored SIGTERM

# flare-demo --serve: SIGINT and SIGTERM stop the tree gracefully, remove the socket file and
# restore the terminal (dashboard mode), and the same headless. Skipped if this flare-demo has no
# --serve.
if "$FLARE_DEMO" --help 2>&1 | grep -q -- '--serve'; then
    demo_sock="$work/demo.sock"
    demo_pid() { pgrep -P "$(tmx display -p -t "$session" '#{pane_pid}')" -f flare-demo | head -n 1; }
    start_demo() {
        tmx send-keys -t "$session" "clear; '$FLARE_DEMO' $1 --serve 'unix://$demo_sock'; echo STRESS-EXIT=\$?" Enter
        for ((i = 0; i < 300; i++)); do [ -S "$demo_sock" ] && break; sleep 0.2; done
        [ -S "$demo_sock" ] || fail "flare-demo $1 --serve did not create its socket"
        "$FLARE" tree --connect "unix://$demo_sock" >/dev/null || fail "flare tree cannot read the demo's served tree"
    }
    check_demo_stopped() {
        wait_for 'stopped cleanly' 30
        [ ! -e "$demo_sock" ] || fail "the socket file is still there after $1"
        check_stty_restored "$1"
    }
    for mode in "" "--headless"; do
        step "flare-demo ${mode:-(dashboard)} --serve, SIGINT: tree stopped, socket removed, terminal restored"
        start_demo "$mode"
        tmx send-keys -t "$session" C-c
        check_demo_stopped "SIGINT"
        step "flare-demo ${mode:-(dashboard)} --serve, SIGTERM: tree stopped, socket removed, terminal restored"
        start_demo "$mode"
        pid="$(demo_pid)"
        [ -n "$pid" ] || fail "could not find the flare-demo process"
        kill -TERM "$pid"
        check_demo_stopped "SIGTERM"
    done
else
    echo "    (flare-demo has no --serve: its signal checks are skipped)"
fi

echo "e2e-stress: all checks passed"
