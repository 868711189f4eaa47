#!/usr/bin/env bash
# End-to-end test of the live dashboard: runs the real flare-demo in tmux at a fixed size, kills a
# worker by keypress, watches it restart, resizes the window, quits in three ways (q, Ctrl-C,
# SIGTERM) and checks that the terminal was restored each time. Exits non-zero on any failure.
#
#   scripts/e2e-dashboard.sh            # builds flare-demo (debug) first
#   FLARE_DEMO=/path/to/flare-demo scripts/e2e-dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-dashboard: tmux is not installed" >&2; exit 1; }
if [ -z "${FLARE_DEMO:-}" ]; then
    swift build --product flare-demo >/dev/null
    FLARE_DEMO="$(swift build --show-bin-path)/flare-demo"
fi
[ -x "$FLARE_DEMO" ] || { echo "e2e-dashboard: no flare-demo at $FLARE_DEMO" >&2; exit 1; }

socket="ashflare-e2e-$$"
session="e2e"
tmx() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tmx kill-server 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmx capture-pane -p -t "$session"; }
fail() {
    echo "e2e-dashboard: FAIL: $*" >&2
    echo "----- screen -----" >&2
    screen >&2 || true
    echo "------------------" >&2
    exit 1
}
# wait_for REGEX SECONDS: polls the screen until it matches (bounded; not a unit test).
wait_for() {
    local pattern="$1" limit="${2:-20}" tries
    tries=$((limit * 5))
    for ((i = 0; i < tries; i++)); do
        if screen | grep -Eq -- "$pattern"; then return 0; fi
        sleep 0.2
    done
    fail "timed out after ${limit}s waiting for /$pattern/"
}
wait_gone() {
    local pattern="$1" limit="${2:-20}" tries
    tries=$((limit * 5))
    for ((i = 0; i < tries; i++)); do
        if ! screen | grep -Eq -- "$pattern"; then return 0; fi
        sleep 0.2
    done
    fail "timed out after ${limit}s waiting for /$pattern/ to go away"
}
step() { printf '==> %s\n' "$*"; }

# A plain shell with a known prompt, so we can see the terminal coming back.
tmx new-session -d -s "$session" -x 120 -y 40 "env -i PATH=\"$PATH\" HOME=\"$HOME\" TERM=tmux-256color LANG=C.UTF-8 PS1='E2E-PROMPT\$ ' bash --norc --noprofile"
wait_for 'E2E-PROMPT\$' 10

start_demo() {
    tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1000; echo E2E-EXIT=\$?" Enter
    wait_for 'AshFlare demo' 30
    wait_for 'acceptor-1 +running' 20
    [ "$(tmx display -p -t "$session" '#{alternate_on}')" = 1 ] || fail "the dashboard did not switch to the alternate screen"
}

# check_restored REASON: the demo printed its exit line, the shell prompt is back, the alternate
# screen was left, and the tty is back in canonical mode with echo.
check_restored() {
    local reason="$1"
    wait_for "flare-demo: $reason" 20
    wait_for 'stopped cleanly' 20
    wait_for 'E2E-EXIT=0' 20
    [ "$(tmx display -p -t "$session" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after $reason"
    tmx send-keys -t "$session" "clear; stty -a | tr ' ' '\n' | grep -Ex -- '-?(echo|icanon)' | tr '\n' ' '; echo STTY-DONE" Enter
    wait_for 'STTY-DONE$' 10
    screen | grep -q -- '-echo' && fail "echo is still off after $reason"
    screen | grep -q -- '-icanon' && fail "canonical mode is still off after $reason"
    screen | grep -Eq 'echo' || fail "stty output missing after $reason"
    tmx send-keys -t "$session" "clear" Enter
    wait_gone 'STTY-DONE' 10
}

step "start flare-demo at 120x40"
start_demo
screen | grep -q '│ Detail' || fail "no detail pane at 120 columns"

step "select acceptor-1 with the filter, press x, confirm with y"
tmx send-keys -t "$session" '/' ; tmx send-keys -t "$session" -l 'acceptor-1'; tmx send-keys -t "$session" Enter
wait_for '▶ +● acceptor-1' 10
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
check_restored q

step "quit with Ctrl-C"
start_demo
tmx send-keys -t "$session" C-c
check_restored SIGINT

step "quit with SIGTERM"
start_demo
shell_pid="$(tmx display -p -t "$session" '#{pane_pid}')"
demo_pid="$(pgrep -P "$shell_pid" -f flare-demo | head -n 1)"
[ -n "$demo_pid" ] || fail "could not find the flare-demo process"
kill -TERM "$demo_pid"
check_restored SIGTERM

echo "e2e-dashboard: all checks passed"
