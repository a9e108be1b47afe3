# Shared helpers for the end-to-end tests (sourced, not run). $VLIFT is the binary under test.
set -u
VLIFT=${VLIFT:-build/vlift}
cd "${VLIFT_ROOT:-$(dirname "$0")/../..}"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_exit CODE CMD...: runs CMD, stores its output in $out, checks the exit status.
expect_exit() {
    local want=$1; shift
    out=$("$@" 2>&1)
    local got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; output: $(echo "$out" | head -5)"
}

# expect_contains TEXT: the last command's output contains TEXT.
expect_contains() {
    case "$out" in
        *"$1"*) ;;
        *) fail "output does not contain '$1'; got: $(echo "$out" | head -8)" ;;
    esac
}

finish() { [ "$failures" -eq 0 ]; exit $?; }
