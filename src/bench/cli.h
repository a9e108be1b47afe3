/* cli: the harness's commands, called by main with the arguments after the command name.
 * Exit status as everywhere in vlift: 0 success, 1 ran but the answer is negative (compare: a
 * regression), 2 bad usage or bad input; bench exits 128 + N when stopped by signal N. */
#ifndef VLIFT_BENCH_CLI_H
#define VLIFT_BENCH_CLI_H

int cmd_bench(int argc, char **argv);     /* bench.c */
int cmd_report(int argc, char **argv);    /* report.c */
int cmd_compare(int argc, char **argv);   /* compare.c */
int cmd_merge(int argc, char **argv);     /* merge.c */

#endif
