#!/usr/bin/env bash
# End-to-end test of the dashboard's v2 keys on the real flare-demo in tmux (120x40): the filter
# `!running`, Space marks plus one bulk kill, collapse-all with roll-ups and expand-all, `n` to
# the next node in trouble, `o` sort, `i` hides the detail pane, the mouse (tmux writes X10 mouse
# reports into the pane: a click on a fold glyph folds, a click selects, the wheel scrolls),
# `--no-mouse`, and a config file with a bad entry refused before the dashboard starts.
#
#   scripts/e2e-dashboard-v2.sh            # builds flare-demo (debug) first
#   FLARE_DEMO=/path/to/flare-demo scripts/e2e-dashboard-v2.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "e2e-dashboard-v2: tmux is not installed" >&2; exit 1; }

E2E_NAME=e2e-dashboard-v2
session=e2e
# shellcheck source=lib/tmux-e2e.sh
source scripts/lib/tmux-e2e.sh
work="$(mktemp -d)"
trap 'tmux_cleanup; rm -rf "$work"' EXIT
FLARE_DEMO="${FLARE_DEMO:-$(build_product flare-demo)}"
[ -x "$FLARE_DEMO" ] || { echo "e2e-dashboard-v2: no flare-demo at $FLARE_DEMO" >&2; exit 1; }

# mouse BUTTON COLUMN ROW: an X10 mouse report (0-based cell) written into the pane, then a release.
mouse() {
    local button="$1" column="$2" row="$3"
    tmx send-keys -t "$session" -H 1b 5b 4d "$(printf %x $((32 + button)))" "$(printf %x $((33 + column)))" "$(printf %x $((33 + row)))"
    if [ "$button" -lt 64 ]; then
        tmx send-keys -t "$session" -H 1b 5b 4d 23 "$(printf %x $((33 + column)))" "$(printf %x $((33 + row)))"
    fi
}
# row_of REGEX: the 0-based screen row of the first line matching REGEX.
row_of() { screen | grep -nE -- "$1" | head -n 1 | cut -d: -f1 | awk '{ print $1 - 1 }'; }

step "a bad config entry stops flare-demo before the dashboard, naming the file and the line"
printf '[theme]\nrunning = "green"\nfailed = "crimson bold"\n' > "$work/bad.toml"
status=0
"$FLARE_DEMO" --config "$work/bad.toml" --seconds 1 > "$work/bad.out" 2>&1 || status=$?
[ "$status" != 0 ] || fail "flare-demo accepted a bad config file"
grep -q "bad.toml:3: \[theme\] failed = \"crimson bold\": 'crimson' is not a colour or attribute" "$work/bad.out" \
    || fail "no clear config error: $(cat "$work/bad.out")"
printf '[keys]\nkill = "g"\n' > "$work/collide.toml"
status=0
"$FLARE_DEMO" --config "$work/collide.toml" --seconds 1 > "$work/collide.out" 2>&1 || status=$?
[ "$status" != 0 ] || fail "flare-demo accepted a key that collides with a built-in"
grep -q "collides with the built-in 'g' (jump to the top)" "$work/collide.out" || fail "no collision error: $(cat "$work/collide.out")"

start_shell 120 40
printf '[keys]\nkill = "K"\n' > "$work/good.toml"

step "start flare-demo (mouse on, a config that adds K for kill)"
tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1000 --config '$work/good.toml'; echo E2E-EXIT=\$?" Enter
wait_for 'AshFlare demo' 30
wait_for 'acceptor-1 +running' 20
[ "$(tmx display -p -t "$session" '#{mouse_any_flag}')" = 1 ] || fail "the dashboard did not turn the mouse on"

step "Space marks acceptor-1 and acceptor-2; x asks once for both; y kills both"
select_by_filter acceptor-1
tmx send-keys -t "$session" Escape Space
select_by_filter acceptor-2
tmx send-keys -t "$session" Escape Space
wait_for '2 marked' 10
tmx send-keys -t "$session" K
wait_for 'Kill these 2 nodes in one instant\?' 10
wait_for 'shop/acceptors/acceptor-1 \(#1\)' 5
wait_for 'shop/acceptors/acceptor-2 \(#1\)' 5
tmx send-keys -t "$session" y
wait_for 'shop/acceptors/acceptor-1 started \(#2\)' 20
wait_for 'shop/acceptors/acceptor-2 started \(#2\)' 20

step "n jumps to the next node in trouble (restarted in the last minute)"
tmx send-keys -t "$session" g n
wait_for 'trouble 1/[0-9]+: shop/acceptors/acceptor-1 restarted in the last minute' 10

step "the filter !running hides every running node"
tmx send-keys -t "$session" / '!running' Enter
wait_for 'filter: !running' 10
screen | grep -qE 'acceptor-1 +running' && fail "!running still shows a running node"
tmx send-keys -t "$session" Escape
wait_for 'acceptor-1 +running' 10

step "C collapses all (roll-ups), E expands all"
tmx send-keys -t "$session" C
wait_for 'collapsed [0-9]+ supervisors' 10
wait_for '▸● acceptors' 10
wait_gone 'acceptor-1 +running' 10
tmx send-keys -t "$session" E
wait_for 'acceptor-1 +running' 10

step "o sorts by restarts; o four more times is spec order again"
tmx send-keys -t "$session" o
wait_for 'NAME by restarts' 10
tmx send-keys -t "$session" o o o o
wait_for 'sorted by spec order' 10

step "mouse: a click on the fold glyph of acceptors folds it, a click selects, the wheel scrolls"
row="$(row_of '▾● acceptors')"
[ -n "$row" ] || fail "no acceptors row"
mouse 0 3 "$row"
wait_for '▸● acceptors' 10
mouse 0 3 "$row"
wait_for '▾● acceptors' 10
row="$(row_of ' db ')"
mouse 0 20 "$row"
wait_for '▶ +▾● db ' 10
mouse 65 20 "$row"
wait_for '▶ .*pool' 10
mouse 64 20 "$row"
wait_for '▶ .*(db|acceptor)' 10

step "i hides the detail pane, i again brings it back"
tmx send-keys -t "$session" i i
wait_gone '│ Detail' 10
tmx send-keys -t "$session" i
wait_for '│ Detail' 10

step "? lists the new keys"
tmx send-keys -t "$session" '?'
wait_for 'next / previous node in trouble' 10
wait_for 'click: select' 10
tmx send-keys -t "$session" Escape
tmx send-keys -t "$session" q
check_restored q

step "--no-mouse leaves the mouse to the terminal"
tmx send-keys -t "$session" "clear; '$FLARE_DEMO' --fail-every 1000 --no-mouse; echo E2E-EXIT=\$?" Enter
wait_for 'acceptor-1 +running' 30
[ "$(tmx display -p -t "$session" '#{mouse_any_flag}')" = 0 ] || fail "--no-mouse still took the mouse"
tmx send-keys -t "$session" q
check_restored q

echo "e2e-dashboard-v2: all checks passed"
