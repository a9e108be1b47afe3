/* plot: the report's figures, drawn by gnuplot (run as a program) from the templates in the
 * repository's plots/ directory (success.gp, cactus.gp, stages.gp, scatter.gp). For each figure
 * the data is written next to the output as NAME.dat, and the template is run with variables
 * (datafile, outbase, width, height, fontsize and figure-specific ones, see each template) to
 * make NAME.png (pngcairo) and NAME.svg. Figures:
 *   success            solved % (VERIFIED or LIFTED) per category and tool, clustered bars
 *   cactus             operators solved (x) within a time (y, log) per tool
 *   stages             median time per stage, stacked bars per operator (tools that report stages)
 *   scatter_TOOL_CONF  vlift's total time vs each other tool's, log-log; unsolved at the limit
 * Templates are looked up in $VLIFT_PLOTS_DIR, then <dir of this binary>/../plots, then ./plots. */
#ifndef VLIFT_BENCH_PLOT_H
#define VLIFT_BENCH_PLOT_H
#include "bench/summary.h"
#include <stdbool.h>

typedef struct plot_options {
    const char *data_dir;    /* DIR/plots: data, PNG, SVG and gnuplot.log */
    const char *copy_dir;    /* also copy the PNG and SVG files here (NULL: no copy) */
    bool paper;              /* smaller canvas for a paper column */
    const char *command;     /* the producing command, written into each .dat header */
} plot_options;

/* Draws every figure; returns how many were made. Missing gnuplot or templates and gnuplot
 * failures are reported on stderr as warnings (the tables do not depend on the figures). */
int plot_all(const summary *s, const plot_options *o);

#endif
