# simplify: the command line of the simplification stage — textbook forms of lifted formulas,
# the equality it claims, --expected (exit 1 when unequal), --json, limits reached gracefully
# on an adversarial input, and bad usage / bad formulas (exit 2).
. "$(dirname "$0")/lib.inc"

softmax='y[i,j] = exp(x[i,j] - max(k in 0..N: x[i,k])) / sum(k in 0..N: exp(x[i,k] - max(s in 0..N: x[i,s])))'
expect_exit 0 "$VLIFT" simplify "$softmax" --expected 'y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))'
expect_contains 'y[i,j] = exp(x[i,j]) / sum(k in 0..N: exp(x[i,k]))'
expect_contains '# size 26 -> 12'
expect_contains '# equality: egraph'
expect_contains '# numeric check: agrees with the input'
expect_contains '# expected: yes'

# a truncated constant: printed by name, and the approximation is said
expect_exit 0 "$VLIFT" simplify 'out[i] = x[i] * 0.5 * (erf(x[i] * 0.7071067811) + 1)' \
    --expected 'out[i] = 0.5 * x[i] * (1 + erf(x[i] / sqrt(2)))'
expect_contains 'erf(x[i] / sqrt(2))'
expect_contains '# equality: approximate: const-inv-sqrt2 (0.7071067811 for 1 / sqrt(2), differs by 8.7e-11)'
expect_exit 1 "$VLIFT" simplify 'out[i] = x[i] * 0.5 * (erf(x[i] * 0.7071067811) + 1)' --no-approx \
    --expected 'out[i] = 0.5 * x[i] * (1 + erf(x[i] / sqrt(2)))'
expect_contains '# expected: no'
expect_contains '# equality: egraph'

# the JSON object carries every statistic
expect_exit 0 "$VLIFT" simplify 'y[i] = rsqrt(x[i])' --json
for key in '"ok": true' '"formula": "y[i] = 1 / sqrt(x[i])"' '"size_before": 3' '"size_after": 5' '"iterations": ' \
           '"enodes": ' '"eclasses": ' '"stop": "saturated"' '"seconds": ' '"equality": "egraph"' 'rsqrt-def 1' \
           '"numeric_check": "agrees"' '"expected": ""'; do
    expect_contains "$key"
done

# only sigmoid's definition separates these
expect_exit 1 "$VLIFT" simplify 'out[i] = x[i] / (exp(-x[i]) + 1)' --expected 'out[i] = x[i] / (1 + exp(-x[i]))'
expect_contains 'out[i] = x[i] * sigmoid(x[i])'
expect_contains 'equal only after unfolding sigmoid/rsqrt definitions'
# a whole right-hand side is not printed as a bare abbreviation: its definition is the content
expect_exit 0 "$VLIFT" simplify 'out[i] = 1 / (exp(-x[i]) + 1)' --expected 'out[i] = 1 / (1 + exp(-x[i]))'
expect_contains 'out[i] = 1 / (exp(-x[i]) + 1)'
expect_contains 'expected: yes'

# an adversarial sum with full AC rules ends at the node limit, quickly, with a valid answer
chain='y = x[0]'
for k in $(seq 1 30); do chain="$chain + x[$k] * w[$k]"; done
start=$(date +%s)
expect_exit 0 "$VLIFT" simplify "$chain" --node-limit 2000
expect_contains 'stop: nodes'
expect_contains '# numeric check: agrees with the input'
[ $(( $(date +%s) - start )) -le 10 ] || fail "adversarial chain took too long"
expect_exit 0 "$VLIFT" simplify "$chain" --iter-limit 2
expect_contains '2 iterations'
expect_contains 'stop: iter'
expect_exit 0 "$VLIFT" simplify "$chain" --time-limit 0.01 --node-limit 100000000 --iter-limit 1000000
expect_contains 'stop: time'

# sizes given explicitly make M a size (>= 1, hence nonzero)
expect_exit 0 "$VLIFT" simplify 'y[i] = x[i] * M / M' --sizes M,N
expect_contains 'y[i] = x[i]'

# bad input
expect_exit 2 "$VLIFT" simplify
expect_contains 'expected a formula'
expect_exit 2 "$VLIFT" simplify 'y[i] = exp(x[i]' 
expect_contains '<formula>:1:'
expect_exit 2 "$VLIFT" simplify 'y = x[0]' --expected 'y = ('
expect_contains '<expected>:1:'
expect_exit 2 "$VLIFT" simplify 'y = x[0]' --frobnicate
expect_contains "unknown option '--frobnicate'"
expect_exit 2 "$VLIFT" simplify 'y = x[0]' --iter-limit lots
expect_contains 'needs a non-negative integer'
expect_exit 2 "$VLIFT" simplify 'y = x[0]' --time-limit -1
expect_exit 2 "$VLIFT" simplify 'y = x[0]' --node-limit
expect_contains 'needs a value'
expect_exit 2 "$VLIFT" simplify 'y = x[0]' 'z = x[1]'
expect_contains 'quote the formula'
expect_exit 1 "$VLIFT" simplify 'y[i] = x[i,i,i,i,i,i,i,i,i]'
expect_contains 'not simplified: access to'
expect_exit 0 "$VLIFT" simplify --help
expect_contains 'usage: vlift simplify'
finish
