# Shared by scripts/bench-vs-otp.sh and scripts/plot-benchmarks.sh (sourced, not run): Erlang/OTP
# installed and the Benchmarks/otp/ modules compiled, the release `ashflare-profile` driver
# built, and one function per side that runs a scenario and prints its JSON line.
# Expects the working directory to be the repository root.

OTP_EBIN=.build-otp/ebin
DRIVER=Benchmarks/.build/release/ashflare-profile

log() { printf '==> %s\n' "$*" >&2; }

# Installs Debian's erlang-nox if `erl`/`erlc` are missing (as root, or with sudo if available).
ensure_erlang() {
    if command -v erl >/dev/null && command -v erlc >/dev/null; then return; fi
    log "installing erlang-nox (Debian)"
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-nox
    elif command -v sudo >/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-nox
    else
        echo "erl is missing and neither root nor sudo is available: install erlang-nox" >&2
        exit 1
    fi
}

# Compiles Benchmarks/otp/*.erl into $OTP_EBIN (warnings are errors).
compile_otp() {
    mkdir -p "$OTP_EBIN"
    erlc -Wall -Werror -o "$OTP_EBIN" Benchmarks/otp/*.erl
}

# Builds the release driver unless --no-build was given (BUILD=0).
build_driver() {
    if [ "${BUILD:-1}" = 1 ]; then
        log "building ashflare-profile (release)"
        (cd Benchmarks && swift build -c release --product ashflare-profile -j 2 >&2)
    fi
    [ -x "$DRIVER" ] || { echo "$DRIVER is missing (run without --no-build)" >&2; exit 1; }
}

# The OTP version, e.g. "25.2.3 (erts 13.1.5)".
otp_version() {
    erl -noshell -eval '{ok, V} = file:read_file(filename:join([code:root_dir(), "releases", erlang:system_info(otp_release), "OTP_VERSION"])), io:format("~s (erts ~s)", [string:trim(V), erlang:system_info(version)]), halt().'
}

# The command prefix both sides run under: empty, or `taskset -c CPUS` when CPUS is set
# (--taskset CPUS; docs/BENCHMARKS.md, "One core or two").
pin() {
    if [ -n "${CPUS:-}" ]; then taskset -c "$CPUS" "$@"; else "$@"; fi
}

# run_otp SCENARIO COUNT [OPTIONS]: one JSON line from Benchmarks/otp/ashflare_bench.erl.
# +P: room for a million children; crash dumps of a failed run are not kept.
run_otp() {
    ERL_CRASH_DUMP=/dev/null pin erl -noshell +P 4000000 -pa "$OTP_EBIN" -run ashflare_bench main -extra "$@"
}

# run_ours SCENARIO COUNT [OPTIONS]: one JSON line from the driver.
run_ours() {
    pin "$DRIVER" "$@" --json
}
