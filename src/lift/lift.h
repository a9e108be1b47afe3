/* lift: the `vlift lift` pipeline. For one variant of an operator it runs the stages —
 *
 *   symexec  symbolic execution at several automatically chosen small sizes (synth/spec.h)
 *   synth    top-down + bottom-up synthesis of a formula matching that spec (synth/synth.h)
 *   verify   the proof for all sizes (verify/verify.h) of the lifted formula; a counterexample
 *            sends synthesis back with the counterexample's sizes added to its spec (at most
 *            LIFT_MAX_REFINEMENTS times) before the variant is REFUTED
 *   simplify equality saturation into the textbook form (simplify/simplify.h); the printed
 *            formula is the simplified one, equal to the lifted one by the e-graph's equalities.
 *            When a rewrite was approximate (a literal 0.7071067811 printed as 1 / sqrt(2)) the
 *            simplified formula is verified itself, and printed only if that proof holds. When
 *            the lifted formula's proof did not go through, the simplified one is tried too (a
 *            proof of either transfers to the other by the e-graph's equality).
 *   check    the printed formula against the kernel run concretely on random inputs at sizes
 *            never used in synthesis (check/crosscheck.h)
 *
 * — and classifies the outcome with the design's statuses:
 *
 *   VERIFIED     every verification condition of the printed formula is proved (unsat) and the
 *                cross-check holds
 *   LIFTED       the formula matches the spec at every sampled size and the cross-check holds;
 *                no proof for all sizes (verify not requested, or it was UNKNOWN/UNSUPPORTED:
 *                the message says why)
 *   REFUTED      verification found a counterexample, replayed on the interpreter, and
 *                synthesis found no other formula that explains it
 *   WRONG        the cross-check disagrees: the formula meets the spec but not the kernel at a
 *                larger size (a vlift bug to fix), or a VERIFIED formula fails the cross-check
 *   UNSUPPORTED  the interpreter reports an unmodelled construct (its message names construct
 *                and line), an output depends on an unspecified value, or synthesis exhausted
 *                its search space ("no formula in the grammar matches the spec of y ...")
 *   TIMEOUT      the synthesis or verification time limit expired (stage says which)
 *   ERROR        bad input: the kernel does not parse, the variant runs at no candidate size,
 *                an output is never written, the kernel faults at a cross-check size
 *   NOT_RUN      a later stage was not requested (--stages)
 *
 * Stage events go to an optional file descriptor: "start STAGE" and "end STAGE SECONDS" lines.
 * Stages never print; lift_cli.c formats the results. */
#ifndef VLIFT_LIFT_H
#define VLIFT_LIFT_H
#include "exec/launch.h"
#include "formula/formula.h"
#include "simplify/simplify.h"
#include "synth/synth.h"
#include "verify/verify.h"

typedef enum lift_status {
    LIFT_VERIFIED, LIFT_LIFTED, LIFT_NOT_RUN, LIFT_REFUTED, LIFT_TIMEOUT, LIFT_UNSUPPORTED, LIFT_ERROR, LIFT_WRONG
} lift_status;
const char *lift_status_name(lift_status s);     /* "VERIFIED", "LIFTED", ... */
/* The operator's status is its worst variant's:
 * WRONG > ERROR > UNSUPPORTED > TIMEOUT > REFUTED > NOT_RUN > LIFTED > VERIFIED. */
lift_status lift_status_worst(lift_status a, lift_status b);

#define LIFT_MAX_REFINEMENTS 3

typedef enum lift_stage { LS_SYMEXEC, LS_SYNTH, LS_VERIFY, LS_SIMPLIFY, LS_CHECK, LS_COUNT } lift_stage;
const char *lift_stage_name(lift_stage s);       /* "symexec", "synth", "verify", "simplify", "check" */

typedef struct lift_options {
    bool stages[LS_COUNT];      /* which stages to run (symexec always runs when any does) */
    synth_options synth;        /* --no-topdown, --no-prune, --timeout-synth, --seed */
    verify_options verify;      /* --timeout-verify, --timeout-query, no-patterns */
    simplify_options simplify;  /* limits; sizes are filled per operator */
    uint64_t seed;              /* cross-check inputs */
    int event_fd;               /* stage events; -1: none */
} lift_options;

void lift_options_default(lift_options *o);

typedef struct lift_result {
    const char *variant;
    lift_status status;
    const char *stage;          /* the stage that decided a failure; "" when LIFTED */
    char message[1024];
    formula *f;                 /* the printed formula (arena): the simplified one when simplify
                                   ran, else the lifted one; NULL if none */
    formula *lifted;            /* the formula synthesis found (before simplification) */
    verify_result verify;       /* the proof reported (status VERIFIED when it held) */
    int smt_queries;            /* over every verification run of the variant */
    double smt_seconds;
    bool verify_ran;
    const char *verified_form;  /* "lifted" or "simplified": the formula the proof was about */
    int refinements;            /* counterexamples that sent synthesis back */
    double t_stage[LS_COUNT];
    synth_stats synth;
    int size_lifted;            /* AST nodes of the lifted formula */
    int size_simplified;        /* AST nodes of the simplified one (0 when simplify did not run) */
    char simplify_info[700];    /* "egraph, saturated, 3 iterations, rules: exp-sub 2, ..." */
    const char *check_kind;     /* synthesis check that held: "exact" or "numeric"; "" if none */
    const char *matches_expected;   /* "yes", "equivalent", "no" or "" */
    int spec_points;            /* sizes used in synthesis, and as text "M=3, N=3; M=3, N=5; ..." */
    char spec_sizes[768];
    int check_points;           /* unseen sizes the cross-check ran at */
    int64_t check_elements;
} lift_result;

/* Runs the requested stages for one variant. Allocates in a (the formula and names). */
void lift_variant(arena *a, const plan_op *op, const plan_variant *v, const exec_sources *src, const lift_options *o,
                  lift_result *r);

/* Compares a lifted formula with the operator's expected one: "yes" when equal up to the names
 * of index variables and the order and grouping of sums, products, max and min; "equivalent"
 * when numerically equal on random inputs at several sizes; "no" otherwise; "" when the
 * operator has no (parsable) expected formula. */
const char *lift_matches_expected(const plan_op *op, const formula *f, uint64_t seed);

/* `vlift lift ...`: the command line (lift_cli.c). */
int cmd_lift(int argc, char **argv);

#endif
