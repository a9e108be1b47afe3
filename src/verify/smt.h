/* smt: discharges verification conditions with z3 — the only part of vlift that talks to z3
 * (smt.c is the only file that includes z3.h). One context per verification; every query is
 * its own solver with its own timeout; `unknown` (timeout, incompleteness) is never success.
 *
 * Encoding of vc_term terms:
 *   Bool / Int terms       z3 Bool / Int (// and % with Python floor semantics, C-truncating
 *                          division where the term says so)
 *   Real terms             z3 Real when the term cannot be infinite; otherwise a pair
 *                          (value, kind) with kind 0 finite, 1 +inf, -1 -inf, 2 NaN and the
 *                          IEEE rules for +, *, /, max, min, comparisons and exp on them, so that
 *                          masked lanes holding -inf are modelled exactly (semantics model:
 *                          floats are the extended reals)
 *   tensor memories        uninterpreted functions Int -> Real (finite) / Int -> Int
 *   exp, log, sqrt, ...    uninterpreted functions; their axioms are instantiated by the
 *                          caller (axioms.c) as hypotheses
 *   unspecified values     uninterpreted functions whose kind is unconstrained too
 *   reductions             recursive function definitions (Z3_mk_rec_func_decl /
 *                          Z3_add_rec_def), one per (operator, body): f(lo, hi, outer binders)
 *                          = op(f(lo, hi - 1, ...), body[k := hi - 1]) for hi > lo, identity
 *                          otherwise; argmax/argmin keep the first extremal index. */
#ifndef VLIFT_SMT_H
#define VLIFT_SMT_H
#include "verify/vc_term.h"

typedef enum smt_answer { SMT_UNSAT, SMT_SAT, SMT_UNKNOWN, SMT_ERROR } smt_answer;
const char *smt_answer_name(smt_answer a);

typedef struct smt_ctx smt_ctx;

/* A context over the terms of store s; timeout_ms per query (0: none). */
smt_ctx *smt_new(vt_store *s, unsigned timeout_ms);
void smt_free(smt_ctx *c);
void smt_set_timeout(smt_ctx *c, unsigned timeout_ms);
/* No query runs past deadline (a time_now() value; 0: none): a query's timeout is cut to the
 * time left, and a query asked after it answers UNKNOWN ("verification time limit reached"). */
void smt_set_deadline(smt_ctx *c, double deadline);
/* Query isolation: each query with a timeout runs in a forked process of its own, killed when it
 * overruns (z3 does not always stop at its interrupt). Only for a process with no other thread
 * in z3 or holding a lock: the verifier's prover process (isolate.c). Off by default. */
void smt_set_query_isolation(smt_ctx *c, bool on);

/* Is hyps => goal valid? Checks hyps && !goal: UNSAT means valid, SAT gives a model (kept in the
 * context until the next check), UNKNOWN/ERROR come with a reason. */
smt_answer smt_check(smt_ctx *c, int n_hyps, const vt_id *hyps, vt_id goal, char *reason, int reason_size);

/* Values in the model of the last SAT answer (terms must be locally closed). */
bool smt_model_int(smt_ctx *c, vt_id term, int64_t *out);
bool smt_model_real(smt_ctx *c, vt_id term, double *out);   /* finite values only */

typedef struct smt_stats { int queries; double seconds; } smt_stats;
smt_stats smt_get_stats(const smt_ctx *c);
const char *smt_z3_version(char *buf, int size);

#endif
