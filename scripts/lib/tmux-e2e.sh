# Shared helpers for the scripts that drive real binaries in tmux (sourced, not run).
#
# The caller sets `session` and may set `E2E_NAME` (for messages); every tmux call goes to a
# private server (-L) so nothing touches the user's own tmux.

E2E_NAME="${E2E_NAME:-e2e}"
tmux_socket="ashflare-${E2E_NAME}-$$"
tmx() { tmux -L "$tmux_socket" -f /dev/null "$@"; }
tmux_cleanup() { tmx kill-server 2>/dev/null || true; }

# build_product NAME: builds the debug binary NAME and prints its path.
build_product() {
    local product="$1"
    swift build --product "$product" >/dev/null
    echo "$(swift build --show-bin-path)/$product"
}

screen() { tmx capture-pane -p -t "${1:-$session}"; }
fail() {
    echo "$E2E_NAME: FAIL: $*" >&2
    echo "----- screen -----" >&2
    screen >&2 || true
    echo "------------------" >&2
    exit 1
}
# wait_for REGEX [SECONDS]: polls the screen until it matches (bounded; not a unit test).
wait_for() {
    local pattern="$1" limit="${2:-20}" tries
    tries=$((limit * 5))
    for ((i = 0; i < tries; i++)); do
        if screen | grep -Eq -- "$pattern"; then return 0; fi
        sleep 0.2
    done
    fail "timed out after ${limit}s waiting for /$pattern/"
}
# wait_gone REGEX [SECONDS]: polls the screen until it no longer matches.
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

# start_shell WIDTH HEIGHT: a plain shell with a known prompt, so the terminal coming back shows.
start_shell() {
    tmx new-session -d -s "$session" -x "$1" -y "$2" \
        "env -i PATH=\"$PATH\" HOME=\"$HOME\" TERM=tmux-256color LANG=C.UTF-8 ${E2E_ENV:-} PS1='E2E-PROMPT\$ ' bash --norc --noprofile"
    wait_for 'E2E-PROMPT\$' 10
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

# select_by_filter NAME: selects the row NAME with the dashboard's filter, as a user would.
select_by_filter() {
    tmx send-keys -t "$session" '/'
    tmx send-keys -t "$session" -l "$1"
    tmx send-keys -t "$session" Enter
    wait_for "▶ +. $1 " 10
}
