# The shipped suites: every operator's every variant agrees with its expected formula
# (check-suite), and every kernel file parses.
. "$(dirname "$0")/lib.inc"
expect_exit 0 "$VLIFT" check-suite suites/flaggems.yaml
expect_contains "check-suite flaggems: 33 operators (33 passed, 0 failed)"
expect_exit 0 "$VLIFT" check-suite suites/flaggems_paths.yaml
expect_contains "0 failed"
expect_exit 0 "$VLIFT" check-suite suites/extra.yaml
expect_contains "check-suite extra: 23 operators (23 passed, 0 failed)"
# A second seed draws other inputs.
expect_exit 0 "$VLIFT" check-suite suites/flaggems.yaml --seed 7
for f in suites/flaggems/*.py suites/extra/*.py; do
    "$VLIFT" parse "$f" >/dev/null 2>&1 || fail "vlift parse $f failed"
done
finish
