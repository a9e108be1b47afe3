# vlift lift --config: the re-implemented baselines as configurations — tenspiler-style proves
# (VERIFIED), c2taco-style and guided stop at LIFTED (no verification stage), c2taco-style
# checks on examples only; unknown names and missing guided weights are clean usage errors, and
# an unknown configuration of the built-in tool in a manifest is a file:line:col error.
. "$(dirname "$0")/lib.inc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S=tests/kernels/synth_cases.yaml
expect_exit 0 "$VLIFT" lift $S product --config tenspiler-style --json
expect_contains '"status": "VERIFIED"'
expect_contains '"t_simplify": 0.000000'
expect_exit 0 "$VLIFT" lift $S product --config c2taco-style --json
expect_contains '"status": "LIFTED"'
expect_contains '"message": "tiles: numeric check"'
expect_contains '"smt_queries": 0'
expect_exit 0 "$VLIFT" lift $S product --config guided --json
expect_contains '"status": "LIFTED"'
expect_contains '"formula": "z[i] = x[i] * y[i]"'
# c2taco-style's grammar has no max reduction: the running max is out of its reach
expect_exit 1 "$VLIFT" lift $S running_max --config c2taco-style --max-size 6 --json
expect_contains '"status": "UNSUPPORTED"'
expect_contains 'no formula in the grammar matches the spec of y'
expect_exit 2 "$VLIFT" lift $S product --config bogus
expect_contains "unknown configuration 'bogus' (full, no-topdown, no-prune, no-patterns, no-simplify, tenspiler-style, c2taco-style, guided)"
VLIFT_GUIDED_WEIGHTS=$tmp/none.tsv expect_exit 2 "$VLIFT" lift $S product --config guided
expect_contains "$tmp/none.tsv: cannot read the guided weights"
# weights that contain only the operator under test leave nothing to learn from
printf 'x\tproduct\tbinary:*\t1\n' >"$tmp/own.tsv"
VLIFT_GUIDED_WEIGHTS=$tmp/own.tsv expect_exit 2 "$VLIFT" lift $S product --config guided
expect_contains "no training formula left after leaving out the operator under test"
sed 's/^suite: .*/suite: cfg/' $S >"$tmp/s.yaml"
sed -i "s|^source_root: .*|source_root: $(pwd)/tests/kernels|" "$tmp/s.yaml"
grep -q '^source_root:' "$tmp/s.yaml" || sed -i "2i source_root: $(pwd)/tests/kernels" "$tmp/s.yaml"
sed -i '/^operators:/i tools:\n  - {name: vlift, builtin: vlift, config: [full, no-such-config]}' "$tmp/s.yaml"
expect_exit 2 "$VLIFT" bench "$tmp/s.yaml" -o "$tmp/run" --dry-run
expect_contains "s.yaml:5:50: unknown configuration 'no-such-config' of the built-in tool"
finish
