# vlift lift with the proof for all sizes: VERIFIED with symbolic block sizes and the patterns
# used; a kernel that agrees with a simple formula at every sampled size but not at larger ones
# is REFUTED with a replayed counterexample after synthesis was sent back with its sizes; the
# approximate constant of gelu is printed only because the printed form verifies too.
. "$(dirname "$0")/lib.inc"
m=tests/kernels/verify_cases.yaml
expect_exit 0 "$VLIFT" lift $m scale
expect_contains "scale/tiles: VERIFIED"
expect_contains "verify: "
expect_contains "VERIFIED (symbolic blocks, lifted formula), 4/4 VCs proved"

expect_exit 1 "$VLIFT" lift $m bump_when_large --json
expect_contains '"status": "REFUTED", "stage": "verify", "blocks": "", "formula": ""'
expect_contains 'at N=40: y[0]: kernel gives 1, formula gives 0'
expect_contains 'with the counterexample'"'"'s sizes in the spec: no formula in the grammar matches'

expect_exit 1 "$VLIFT" lift $m last_block_off
expect_contains "last_block_off/tiles: REFUTED (stage verify)"
expect_contains "at N=33: y[32]: kernel gives 0"
expect_contains "1 counterexample sent synthesis back"

# A reduction: the JSON row names the patterns, the VC count and the SMT queries.
expect_exit 0 "$VLIFT" lift tests/kernels/synth_cases.yaml row_sum --json
expect_contains '"status": "VERIFIED", "stage": "", "blocks": "symbolic"'
expect_contains '"patterns": "running-sum,lemma:tiling,lemma:masked-range", "vcs": 6'
# The ablation without the pattern library keeps only the generic template.
expect_exit 0 "$VLIFT" lift tests/kernels/synth_cases.yaml row_sum --config no-patterns --json
expect_contains '"status": "VERIFIED"'

# gelu: the kernel's 0.7071067811 prints as 1 / sqrt(2) (axiom C1), and that form is verified.
expect_exit 0 "$VLIFT" lift suites/flaggems.yaml gelu --variant one_tile
expect_contains "gelu/one_tile: VERIFIED"
expect_contains "erf(x[i] / sqrt(2))"
expect_contains "patterns: constant:1/sqrt(2)"

# Verification not requested: LIFTED, no SMT.
expect_exit 0 "$VLIFT" lift $m scale --stages symexec,synth,simplify,check --json
expect_contains '"status": "LIFTED"'
expect_contains '"t_verify": 0.000000'
expect_contains '"smt_queries": 0'
finish
