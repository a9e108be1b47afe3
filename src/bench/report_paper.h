/* report_paper: the comparison tables of `vlift report`, written to DIR/tables/ next to the main
 * ones (Markdown and LaTeX, headed by the producing command):
 *   ablation   each vlift/no-* configuration against vlift/full, operator by operator:
 *              VERIFIED / LIFTED / other, successes lost and gained, time added
 *   baselines  the same for every other tool and configuration (re-implemented baselines,
 *              external tools)
 *   published  per tool: the published figure it stands for (28/33 for the method, 13/33 for
 *              Tenspiler) beside this run's counts
 * ablation and baselines are written only when such tools are in the results. */
#ifndef VLIFT_BENCH_REPORT_PAPER_H
#define VLIFT_BENCH_REPORT_PAPER_H
#include "bench/summary.h"
#include <stddef.h>

bool report_paper_tables(const summary *s, const char *dir, const char *command, bool paper, char *err, size_t err_size);

#endif
