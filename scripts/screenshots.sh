#!/usr/bin/env bash
# Regenerates every PNG in screenshots/ from real runs: the real flare-demo and flare binaries in
# tmux at 120x36, driven by send-keys, captured with `capture-pane -e`, rendered to PNG by
# scripts/screenshots/render.py (pyte + pillow from PyPI in a venv, DejaVu Sans Mono).
#
#   scripts/screenshots.sh              # builds flare-demo and flare (debug) first
#   FLARE_DEMO=… FLARE=… scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "screenshots: tmux is not installed" >&2; exit 1; }
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || { echo "screenshots: DejaVu Sans Mono is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }

E2E_NAME=screenshots
session=shot
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d)"
cleanup() {
    tmux_cleanup
    [ -n "${headless_pids:-}" ] && kill $headless_pids 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

venv=.build-venv/screenshots
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyte, PIL' 2>/dev/null; then
    step "create $venv (pyte, pillow)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check pyte pillow
fi
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
FLARE="${FLARE:-$(build_product flare)}"
width=120
height=36
mkdir -p screenshots

# shoot NAME TITLE: captures the pane with its colours and renders screenshots/NAME.png.
shoot() {
    tmx capture-pane -e -p -t "$session" > "$work/$1.ans"
    "$venv/bin/python" scripts/screenshots/render.py "$work/$1.ans" "screenshots/$1.png" \
        --width "$width" --height "$height" --title "$2"
    echo "    screenshots/$1.png"
}
run_in_shell() { tmx send-keys -t "$session" "clear; $1; echo E2E-EXIT=\$?" Enter; }
press() { for key in "$@"; do tmx send-keys -t "$session" "$key"; done; }

start_shell "$width" "$height"

step "the tree at rest"
run_in_shell "'$FLARE_DEMO' --fail-every 8"
wait_for '● 31 up' 30
sleep 4
shoot rest "swift run flare-demo"

step "the help overlay"
press '?'
wait_for 'this help' 10
shoot help "flare-demo: ? lists every key"
press Escape

step "a kill being confirmed"
select_by_filter gateway
press Escape
wait_for 'acceptor-1' 10
press x
wait_for 'Kill shop/payments/gateway \(#[0-9]+\)\?' 10
shoot kill-confirm "flare-demo: x on the payments gateway asks first"
press y

step "an escalation: the gateway killed until payments exceeds its intensity"
for _ in $(seq 1 12); do
    if screen | grep -Eq 'shop/payments exited: escalated'; then break; fi
    wait_for 'gateway +running' 20
    press x
    wait_for 'Kill shop/payments/gateway' 10
    press y
    wait_gone 'Kill shop/payments/gateway' 10
    sleep 0.3
done
wait_for 'shop/payments exited: escalated' 20
sleep 0.5
shoot escalation "flare-demo: payments exceeded 5 restarts in 30 s and escalated to shop"

step "problems first: collapse all (roll-ups), n to the next node in trouble, the filter !running"
press Escape C
wait_for 'collapsed [0-9]+ supervisors' 10
press n
wait_for 'trouble [0-9]+/[0-9]+' 10
shoot collapse-all "flare-demo: C folds every supervisor (what is broken below rolls up), n jumps to trouble"
press E / '!running' Enter
wait_for 'filter: !running' 10
shoot filter-not-running "flare-demo: the filter !running shows only what is not running"
press Escape

step "the tree healing under the chaos monkey"
press c
wait_for 'CHAOS' 10
sleep 14
shoot healing "flare-demo: c lets the chaos monkey kill a worker every second"
press q
wait_for 'E2E-EXIT=0' 30

step "NO_COLOR"
run_in_shell "NO_COLOR=1 '$FLARE_DEMO' --fail-every 4"
wait_for '● 31 up' 30
sleep 6
shoot no-color "NO_COLOR=1 flare-demo: state is never shown by colour alone"
press q
wait_for 'E2E-EXIT=0' 30

step "a remote multi-node view: flare top attached to two served trees"
headless_pids=""
for name in eu us; do
    "$FLARE_DEMO" --headless --serve "unix://$work/shop-$name.sock" --chaos 0.5 --fail-every 5 > "$work/$name.log" 2>&1 &
    headless_pids="$headless_pids $!"
done
for name in eu us; do
    for _ in $(seq 1 100); do [ -S "$work/shop-$name.sock" ] && break; sleep 0.1; done
    [ -S "$work/shop-$name.sock" ] || fail "the headless demo did not serve $work/shop-$name.sock"
done
run_in_shell "'$FLARE' top --connect unix://$work/shop-eu.sock --connect unix://$work/shop-us.sock"
wait_for '2 nodes \(2 connected\)' 30
sleep 8
press Enter j j j
sleep 1
shoot remote "flare top --connect unix:///…/shop-eu.sock --connect unix:///…/shop-us.sock"
press q
wait_for 'E2E-EXIT=0' 30

step "the logs of a crashed process: the previous incarnation's last lines (l, then L)"
run_in_shell "cd '$work' && '$FLARE_DEMO' --fail-every 1"
wait_for '● [0-9]+ up' 30
select_by_filter crashy
press Escape l
wait_for '#[3-9] +crashy: up as pid' 40
press L
wait_for 'previous incarnation #[0-9]+' 10
wait_for 'crashy: (exiting with status|segfaulting)' 10
shoot logs-crashed "flare-demo: l on the crashing process, L for the lines before its last crash"
press L Escape Escape

step "a recording (R) replayed with its timeline (flare replay)"
press R
wait_for 'recording shop to' 10
sleep 8
press R
wait_for 'recorded [0-9]+ events' 10
press q
wait_for 'E2E-EXIT=0' 30
recording="$(ls "$work"/ashflare-shop-*.rec | head -n 1)"
run_in_shell "'$FLARE' replay '$recording'"
wait_for 'REPLAY shop' 20
press t 4 0 % Enter
wait_for 'event [1-9][0-9]*/' 10
shoot replay "flare replay shop.rec: the timeline (space plays, . and , step, t jumps, + - speed)"
press q
wait_for 'E2E-EXIT=0' 30

echo "screenshots: done"
