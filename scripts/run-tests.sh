#!/usr/bin/env bash
# Runs every test against one build directory (build/ or build-san/): the unit test binary,
# then each end-to-end script in tests/e2e/. Prints one line per failing test and, last,
# "N passed, N failed". Exit status 1 when anything failed.
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export VLIFT="$root/$build/vlift"
export VLIFT_ROOT="$root"
passed=0
failed=0

# A sanitizer build (make SAN=1 test, i.e. make test-san, sets SANITIZED=1): every process the
# tests start reports leaks (LeakSanitizer), UB and memory errors into san_dir instead of its
# stderr, so that a report fails the run even when the test only looks at an exit status that
# the report did not change (a child whose failure is expected, a process killed on purpose,
# a report in a worker).
san_dir=""
if [ "${SANITIZED:-0}" = 1 ]; then
    san_dir=$(mktemp -d)
    export ASAN_OPTIONS="detect_leaks=1:log_path=$san_dir/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$san_dir/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    export LSAN_OPTIONS="${LSAN_OPTIONS:-}"
fi

unit_out=$(mktemp)
"$build/unit_tests" >"$unit_out" 2>&1
unit_rc=$?
grep -v '^unit: ' "$unit_out" | grep -E '^(FAIL|not ok)' || true
summary=$(grep '^unit: ' "$unit_out" | tail -n 1)
if [ -n "$summary" ]; then
    p=$(echo "$summary" | sed -E 's/^unit: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
    f=$(echo "$summary" | sed -E 's/^unit: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    passed=$((passed + p)); failed=$((failed + f))
    echo "$summary"
else
    echo "FAIL unit tests did not finish (exit $unit_rc):"; tail -n 20 "$unit_out"
    failed=$((failed + 1))
fi
rm -f "$unit_out"

e2e_pass=0; e2e_fail=0
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    log=$(mktemp)
    if bash "$t" >"$log" 2>&1; then
        e2e_pass=$((e2e_pass + 1))
    else
        e2e_fail=$((e2e_fail + 1))
        echo "FAIL $t"; sed 's/^/    /' "$log" | tail -n 25
    fi
    rm -f "$log"
done
echo "e2e: $e2e_pass passed, $e2e_fail failed"
passed=$((passed + e2e_pass)); failed=$((failed + e2e_fail))
if [ -n "$san_dir" ]; then
    reports=$(find "$san_dir" -type f -size +0c | sort)
    if [ -n "$reports" ]; then
        for r in $reports; do
            echo "FAIL sanitizer report $(basename "$r"):"; head -n 30 "$r" | sed 's/^/    /'
            failed=$((failed + 1))
        done
    else
        passed=$((passed + 1))
        echo "sanitizers: no reports (ASan, UBSan, LeakSanitizer)"
    fi
    rm -rf "$san_dir"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
