/* rules: the built-in rule set. Semantics: reals (and +-inf where a value may be infinite);
 * a rule is sound when both sides are defined at the same points and equal there, for every
 * value of its variables satisfying its conditions (rewrite.h). Division by zero, log of a
 * non-positive number and sqrt of a negative one are undefined. */
#include "simplify/rules.h"

static const char builtin[] =
    /* ---- sums: an abelian group; AC is run by the backoff scheduler ---- */
    "add-comm:     ?a + ?b => ?b + ?a\n"
    "add-assoc:    ?a + (?b + ?c) <=> (?a + ?b) + ?c\n"
    "sub-to-add:   ?a - ?b <=> ?a + -?b\n"                        /* definition of - */
    "neg-neg:      -(-?a) => ?a\n"
    "neg-add:      -(?a + ?b) <=> -?a + -?b\n"
    "add-zero:     ?a + 0 => ?a\n"
    "add-inverse:  ?a + -?a => 0 if finite(?a)\n"                 /* inf - inf is NaN */
    /* ---- products ---- */
    "mul-comm:     ?a * ?b => ?b * ?a\n"
    "mul-assoc:    ?a * (?b * ?c) <=> (?a * ?b) * ?c\n"
    "mul-one:      ?a * 1 => ?a\n"
    "mul-zero:     ?a * 0 => 0 if finite(?a)\n"                   /* inf * 0 is NaN */
    "neg-mul:      -?a * ?b <=> -(?a * ?b)\n"
    "div-to-mul:   ?a / ?b <=> ?a * (1 / ?b)\n"                   /* both undefined exactly when b = 0 */
    "div-one:      ?a / 1 => ?a\n"
    "neg-div:      -?a / ?b <=> -(?a / ?b)\n"
    "recip-mul:    1 / (?a * ?b) <=> (1 / ?a) * (1 / ?b)\n"       /* both undefined when a = 0 or b = 0 */
    "recip-recip:  1 / (1 / ?a) => ?a if nonzero(?a)\n"
    "mul-inverse:  ?a * (1 / ?a) => 1 if nonzero(?a)\n"
    "mul-div:      ?a * (?b / ?c) <=> (?a * ?b) / ?c\n"
    "div-div:      (?a / ?b) / ?c <=> ?a / (?b * ?c)\n"
    /* cancellation of a common factor: both sides defined only if b != 0 once c != 0 */
    "cancel-mul:   (?a * ?c) / (?b * ?c) => ?a / ?b if nonzero(?c)\n"
    "cancel-div:   (?a / ?c) / (?b / ?c) => ?a / ?b if nonzero(?c)\n"
    "cancel-one:   (?a * ?c) / ?c => ?a if nonzero(?c)\n"
    "distribute:   ?a * (?b + ?c) <=> ?a * ?b + ?a * ?c\n"
    /* ---- powers: integer exponents are x * ... * x for every real x ---- */
    "square:       ?a * ?a => ?a ^ 2\n"
    "pow-int:      pow(?a, ?n) <=> ?a ^ ?n if integer(?n)\n"      /* pow and ^ are one function */
    "pow-succ:     ?a ^ ?n * ?a => ?a ^ (?n + 1) if integer(?n) and positive(?n)\n"
    "pow-one:      ?a ^ 1 => ?a\n"
    /* ---- exp and log ---- */
    "exp-sub:      exp(?a - ?b) => exp(?a) / exp(?b) if finite(?b)\n"   /* exp(b) > 0 */
    "exp-add:      exp(?a + ?b) => exp(?a) * exp(?b) if finite(?a) and finite(?b)\n"
    "exp-neg:      exp(-?a) <=> 1 / exp(?a) if finite(?a)\n"
    "log-exp:      log(exp(?a)) => ?a\n"
    "exp-log:      exp(log(?a)) => ?a if positive(?a)\n"
    "log-div:      log(?a / ?b) => log(?a) - log(?b) if positive(?a) and positive(?b)\n"
    "log-mul:      log(?a * ?b) => log(?a) + log(?b) if positive(?a) and positive(?b)\n"
    "exp2-log2e:   exp2(?a / log(2)) => exp(?a)\n"                     /* 2^(a/ln 2) = e^a */
    "log2-def:     log2(?a) => log(?a) / log(2)\n"
    "rsqrt-def:    rsqrt(?a) <=> 1 / sqrt(?a)\n"                       /* definition */
    "sigmoid-def:  1 / (1 + exp(-?a)) <=> sigmoid(?a)\n"               /* definition */
    /* ---- comparisons, where, max/min (reals: no NaN) ---- */
    "lt-flip:      ?a < ?b <=> ?b > ?a\n"
    "le-flip:      ?a <= ?b <=> ?b >= ?a\n"
    "eq-comm:      ?a == ?b => ?b == ?a\n"
    "ne-comm:      ?a != ?b => ?b != ?a\n"
    "where-ne:     where(?a != ?b, ?x, ?y) <=> where(?a == ?b, ?y, ?x)\n"
    "where-true:   where(1, ?x, ?y) => ?x\n"
    "where-false:  where(0, ?x, ?y) => ?y\n"
    "where-same:   where(?c, ?x, ?x) => ?x\n"
    /* guards against -inf (an empty or not yet started maximum) are dead on finite values */
    "eq-ninf:      ?m == -inf => 0 if finite(?m)\n"
    "ne-ninf:      ?m != -inf => 1 if finite(?m)\n"
    "gt-ninf:      ?m > -inf => 1 if finite(?m)\n"
    "eq-inf:       ?m == inf => 0 if finite(?m)\n"
    "where-max:    where(?a < ?b, ?b, ?a) => max(?a, ?b)\n"            /* a = b: either */
    "where-max-le: where(?a <= ?b, ?b, ?a) => max(?a, ?b)\n"
    "where-min:    where(?a < ?b, ?a, ?b) => min(?a, ?b)\n"
    "where-min-le: where(?a <= ?b, ?a, ?b) => min(?a, ?b)\n"
    "max-comm:     max(?a, ?b) => max(?b, ?a)\n"
    "min-comm:     min(?a, ?b) => min(?b, ?a)\n"
    /* ---- reductions: terms that do not depend on the bound variable move in and out; an
     * empty range sums to 0, so the moved factor must be finite (c * 0 = 0). Moving in is
     * limited to terms that keep the reduction per-row (indices-within): a sum over k that
     * starts to depend on the output's j is no longer the same reduction for every j. ---- */
    "sum-factor:   sum(?k in ?lo..?hi: ?c * ?f) => ?c * sum(?k in ?lo..?hi: ?f) if not-free(?k, ?c) and finite(?c)\n"
    "sum-factor-in: ?c * sum(?k in ?lo..?hi: ?f) => sum(?k in ?lo..?hi: ?c * ?f) if finite(?c) and indices-within(?c, ?f)\n"
    "sum-factor-div: sum(?k in ?lo..?hi: ?f / ?c) => sum(?k in ?lo..?hi: ?f) / ?c if not-free(?k, ?c) and nonzero(?c)\n"
    "sum-factor-div-in: sum(?k in ?lo..?hi: ?f) / ?c => sum(?k in ?lo..?hi: ?f / ?c) if nonzero(?c) and indices-within(?c, ?f)\n"
    "sum-add:      sum(?k in ?lo..?hi: ?a + ?b) <=> sum(?k in ?lo..?hi: ?a) + sum(?k in ?lo..?hi: ?b)\n"
    "sum-neg:      sum(?k in ?lo..?hi: -?a) <=> -sum(?k in ?lo..?hi: ?a)\n"
    "sum-const:    sum(?k in ?lo..?hi: ?c) => (?hi - ?lo) * ?c if not-free(?k, ?c) and nonempty(?lo, ?hi)\n"
    /* lo < hi: the factor occurs hi - lo >= 1 times */
    "prod-factor:  prod(?k in ?lo..?hi: ?c * ?f) => ?c ^ (?hi - ?lo) * prod(?k in ?lo..?hi: ?f) if not-free(?k, ?c) and finite(?c) and nonempty(?lo, ?hi)\n"
    /* max(a_k + c) = max(a_k) + c; an empty range is -inf on both sides */
    "max-shift:    max(?k in ?lo..?hi: ?a + ?c) <=> max(?k in ?lo..?hi: ?a) + ?c if not-free(?k, ?c) and finite(?c)\n"
    /* ---- variance: one-pass (sum of squares) and Welford-style results to the two-pass form.
     * With m = S/n, S = sum x_k:  sum (x_k - m)^2 = sum x_k^2 - 2 m S + n m^2 = sum x_k^2 - n m^2.
     * Only 0-based ranges (n is the count) and an m the e-graph already knows equals S/n. ---- */
    "var-two-pass: sum(?k in 0..?n: ?x ^ 2) - ?n * ?m ^ 2 => sum(?k in 0..?n: (?x - ?m) ^ 2) "
    "if nonzero(?n) and ?m == sum(?k in 0..?n: ?x) / ?n\n"
    "var-two-pass-mean: sum(?k in 0..?n: ?x ^ 2) / ?n - ?m ^ 2 => sum(?k in 0..?n: (?x - ?m) ^ 2) / ?n "
    "if nonzero(?n) and ?m == sum(?k in 0..?n: ?x) / ?n\n";

const char *rules_builtin(void) { return builtin; }
