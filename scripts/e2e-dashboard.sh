#!/usr/bin/env bash
# End-to-end test of the live dashboard: runs the real flare-demo in tmux at a fixed size, kills a
# worker by keypress, watches it restart, resizes the window, quits in three ways (q, Ctrl-C,
# SIGTERM) and checks each time that the terminal was restored and the Unix socket the demo served
# on (--serve) was removed. Exits non-zero on any failure.
#
#   scripts/e2e-dashboard.sh            # builds flare-demo (debug) first
#   FLARE_DEMO=/path/to/flare-demo scripts/e2e-dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-dashboard: tmux is not installed" >&2; exit 1; }

E2E_NAME=e2e-dashboard
session=e2e
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d)"
trap 'tmux_cleanup; rm -rf "$work"' EXIT
sock="$work/e2e.sock"
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
[ -x "$FLARE_DEMO" ] || { echo "e2e-dashboard: no flare-demo at $FLARE_DEMO" >&2; exit 1; }

start_shell 120 40

start_demo() {
    tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1000 --serve unix://$sock; echo E2E-EXIT=\$?" Enter
    wait_for 'AshFlare demo' 30
    wait_for 'acceptor-1 +running' 20
    [ "$(tmx display -p -t "$session" '#{alternate_on}')" = 1 ] || fail "the dashboard did not switch to the alternate screen"
    [ -S "$sock" ] || fail "no Unix socket at $sock while the demo serves"
}

# check_stopped REASON: terminal restored (see check_restored) and the socket file removed.
check_stopped() {
    check_restored "$1"
    [ ! -e "$sock" ] || fail "the socket file $sock is still there after $1"
}

step "start flare-demo at 120x40"
start_demo
screen | grep -q '│ Detail' || fail "no detail pane at 120 columns"

step "select acceptor-1 with the filter, press x, confirm with y"
select_by_filter acceptor-1
tmx send-keys -t "$session" x
wait_for 'Kill shop/acceptors/acceptor-1 \(#1\)\?' 10
tmx send-keys -t "$session" y

step "wait until the restart count goes up and the log shows the kill"
wait_for 'acceptor-1 +running +perm +1 ' 20
wait_for 'shop/acceptors/acceptor-1 exited: killed \(#1\)' 10
wait_for '✓ killed shop/acceptors/acceptor-1 \(#1\)' 10
wait_for 'shop/acceptors/acceptor-1 started \(#2\)' 10

step "resize to 80x24: the detail pane goes, the tree stays"
tmx send-keys -t "$session" Escape
tmx resize-window -t "$session" -x 80 -y 24
wait_gone '│ Detail' 10
wait_for 'acceptor-1 +running' 10
[ "$(screen | wc -L)" -le 80 ] || fail "a line is wider than 80 columns"

step "resize to 30x8: a clear message instead of a broken layout"
tmx resize-window -t "$session" -x 30 -y 8
wait_for 'Too small 30x8 \(need 40x10\)' 10

step "resize back to 120x40"
tmx resize-window -t "$session" -x 120 -y 40
wait_for '│ Detail' 10

step "quit with q"
tmx send-keys -t "$session" q
check_stopped q

step "quit with Ctrl-C"
start_demo
tmx send-keys -t "$session" C-c
check_stopped SIGINT

step "quit with SIGTERM"
start_demo
shell_pid="$(tmx display -p -t "$session" '#{pane_pid}')"
demo_pid="$(pgrep -P "$shell_pid" -f flare-demo | head -n 1)"
[ -n "$demo_pid" ] || fail "could not find the flare-demo process"
kill -TERM "$demo_pid"
check_stopped SIGTERM

step "headless (--headless --serve): SIGINT and SIGTERM shut the tree down and remove the socket"
for signal in INT TERM; do
    "$FLARE_DEMO" --headless --serve "unix://$sock" > "$work/headless.out" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.1; done
    [ -S "$sock" ] || fail "headless: no socket at $sock"
    kill -"$signal" "$pid"
    status=0
    wait "$pid" || status=$?
    [ "$status" = 0 ] || fail "headless: exit status $status after SIG$signal: $(cat "$work/headless.out")"
    grep -q "flare-demo: SIG$signal; shutting the tree down" "$work/headless.out" || fail "headless: no shutdown line after SIG$signal"
    grep -q 'stopped cleanly' "$work/headless.out" || fail "headless: not stopped cleanly after SIG$signal"
    [ ! -e "$sock" ] || fail "headless: the socket is still there after SIG$signal"
done

echo "e2e-dashboard: all checks passed"
