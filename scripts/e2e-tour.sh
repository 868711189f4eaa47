#!/usr/bin/env bash
# The README's 60-second tour, end to end: runs the real flare-demo in tmux, kills the payments
# gateway by keypress, watches it restart and its supervisor's intensity gauge fill, kills it again
# until the intensity is exceeded and the payments subtree is restarted by the root (escalation),
# lets the chaos monkey loose (c) and stops it, then quits and checks that the terminal was restored and the demo's Unix socket (--serve) removed.
# Exits non-zero on any failure.
#
#   scripts/e2e-tour.sh                     # builds flare-demo (debug) first
#   FLARE_DEMO=/path/to/flare-demo scripts/e2e-tour.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "e2e-tour: tmux is not installed" >&2; exit 1; }

E2E_NAME=e2e-tour
session=tour
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d)"
trap 'tmux_cleanup; rm -rf "$work"' EXIT
sock="$work/tour.sock"
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
[ -x "$FLARE_DEMO" ] || { echo "e2e-tour: no flare-demo at $FLARE_DEMO" >&2; exit 1; }

start_shell 120 40

step "1. run the demo: 8 supervisors and 23 workers (two of them real processes), all up"
# --fail-every 1000: the gateway does not fail by itself, so every restart below is ours.
tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1000 --serve unix://$sock; echo E2E-EXIT=\$?" Enter
wait_for 'AshFlare demo' 30
wait_for '8 sup 23 wrk' 20
wait_for '● 31 up' 20
[ -S "$sock" ] || fail "--serve unix://$sock: no socket while the demo runs"
[ "$(stat -c %a "$sock")" = 600 ] || fail "the demo's socket is not mode 0600"

step "2. x on the payments gateway, y confirms: it restarts, its count and the gauge rise"
select_by_filter gateway
tmx send-keys -t "$session" x
wait_for 'Kill shop/payments/gateway \(#1\)\?' 10
tmx send-keys -t "$session" y
wait_for 'shop/payments/gateway exited: killed \(#1\)' 10
wait_for 'gateway +running +perm +1 ' 20
wait_for 'payments +running .* 1/5 in 30s' 10

step "3. x again each time it is back: the gauge fills, the sixth kill in 30 s escalates"
for kill in 2 3 4 5 6; do
    tmx send-keys -t "$session" x
    wait_for "Kill shop/payments/gateway \\(#$kill\\)\\?" 10
    tmx send-keys -t "$session" y
    if [ "$kill" -lt 6 ]; then
        wait_for "payments +running .* $kill/5 in 30s" 10
        wait_for "gateway +running +perm +$kill(↯)? " 20  # ↯: flapping from the third restart in a minute
    fi
done
wait_for 'shop/payments exited: escalated \(#1\)' 10
wait_for 'shop/payments started \(#2\)' 20
wait_for 'payments +running +perm +1 ' 20
wait_for 'shop +running .* 1/10 in 30s' 10
wait_for 'gateway +running +perm +0 ' 20

step "4b. x on the web process (python3 -m http.server): SIGKILL to its process group, it is restarted, and the killed incarnation's log lines stay in the detail pane"
tmx send-keys -t "$session" Escape
wait_gone 'filter: gateway' 10
select_by_filter 'web'
wait_for '#1 Serving HTTP on' 10
tmx send-keys -t "$session" x
wait_for 'Kill shop/processes/web \(#1\)\?' 10
tmx send-keys -t "$session" y
wait_for 'shop/processes/web exited: killed \(#1\)' 10
wait_for 'web +running +perm +1 ' 20
wait_for '#2 Serving HTTP on' 20
wait_for '#1 Serving HTTP on' 5
tmx send-keys -t "$session" Escape

step "5. c lets the chaos monkey loose: random workers are killed and come back; c again stops it"
tmx send-keys -t "$session" Escape
tmx send-keys -t "$session" c
wait_for 'CHAOS 1/s' 10
wait_for 'chaos monkey on: killing a random worker about every 1 s' 10
wait_for 'shop/(acceptors|db|cache|sessions)/[^ ]+ exited: killed' 20
wait_for '↻ [0-9]+/min' 10
tmx send-keys -t "$session" c
wait_for 'chaos monkey off' 10
wait_gone 'CHAOS 1/s' 10

step "6. q quits: the tree shuts down and the terminal is restored"
tmx send-keys -t "$session" q
check_restored q
[ ! -e "$sock" ] || fail "the socket file is still there after q"

echo "e2e-tour: all checks passed"
