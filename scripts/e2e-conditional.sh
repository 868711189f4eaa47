#!/usr/bin/env bash
# End to end in tmux: a confirmation in `flare top` sends ONE conditional request on the execution
# the user saw. flare-demo serves its tree on a Unix socket; `flare top` attaches; x on acceptor-1
# opens the confirm; meanwhile `flare kill` restarts acceptor-1 from outside; y is then refused by
# the tree ("restarted since you asked: not killed") and the new execution is left alone. Then
# `flare kill --if-execution` with the current id kills it, and with the old one exits 1.
#
#   scripts/e2e-conditional.sh                           # builds flare and flare-demo (debug) first
#   FLARE=… FLARE_DEMO=… scripts/e2e-conditional.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-conditional: tmux is not installed" >&2; exit 1; }

E2E_NAME=e2e-conditional
session=cond
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d /tmp/afc-XXXXXX)"
demo_pid=""
cleanup() {
    tmux_cleanup
    [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
FLARE="${FLARE:-$(build_product flare)}"
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
sock="$work/shop.sock"
url="unix://$sock"

# exec_of PATH: the execution id `flare tree` shows for PATH's last component.
exec_of() {
    local id="${1##*/}"
    "$FLARE" tree --connect "$url" --ascii | grep -E -- "[ -]$id " | sed -E 's/.* exec ([0-9]+) .*/\1/'
}

step "flare-demo serves its tree headless; flare top attaches"
"$FLARE_DEMO" --headless --serve "$url" --fail-every 1000 > "$work/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 300); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { cat "$work/demo.log" >&2; echo "e2e-conditional: FAIL: flare-demo did not serve" >&2; exit 1; }
start_shell 120 40
tmx send-keys -t "$session" "clear; '$FLARE' top --connect '$url' --no-mouse; echo E2E-EXIT=\$?" Enter
wait_for 'acceptor-1 +running' 30

step "x on acceptor-1 remembers execution $(exec_of shop/acceptors/acceptor-1); a restart from outside comes in between"
seen="$(exec_of shop/acceptors/acceptor-1)"
select_by_filter acceptor-1
tmx send-keys -t "$session" x
wait_for 'Kill shop/acceptors/acceptor-1 \(#1\)' 10
"$FLARE" kill shop/acceptors/acceptor-1 --connect "$url"
for _ in $(seq 1 100); do
    [ "$(exec_of shop/acceptors/acceptor-1)" != "$seen" ] && "$FLARE" tree --connect "$url" --ascii | grep -Eq -- '- acceptor-1 +worker +running +#2 ' && break
    sleep 0.1
done
now="$(exec_of shop/acceptors/acceptor-1)"
[ "$now" != "$seen" ] || fail "acceptor-1 did not restart (execution still $seen)"

step "y is refused by the tree: acceptor-1 restarted since you asked; the new execution $now is untouched"
tmx send-keys -t "$session" y
wait_for 'shop/acceptors/acceptor-1 restarted since you asked: not killed' 10
[ "$(exec_of shop/acceptors/acceptor-1)" = "$now" ] || fail "the new execution was killed"

step "flare kill --if-execution: the current id kills (exit 0), the old one exits 1 with staleExecution"
"$FLARE" kill shop/acceptors/acceptor-1 --if-execution "$now" --connect "$url" || fail "a conditional kill of the current execution failed"
status=0
"$FLARE" kill shop/acceptors/acceptor-1 --if-execution "$seen" --connect "$url" 2> "$work/stale.err" || status=$?
[ "$status" = 1 ] || fail "a stale --if-execution exited $status"
grep -q "^flare: staleExecution: 'shop/acceptors/acceptor-1' is execution " "$work/stale.err" || fail "no staleExecution line: $(cat "$work/stale.err")"

step "q leaves flare top"
tmx send-keys -t "$session" q
wait_for 'E2E-EXIT=0' 10
echo "e2e-conditional: all steps passed"
