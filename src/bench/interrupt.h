/* interrupt: how the benchmark driver learns that it was asked to stop (SIGINT, SIGTERM). The
 * handler only records the signal; the workers poll interrupt_requested() and stop starting jobs
 * and kill the running ones, and the driver exits 128 + signal after leaving its files
 * consistent. */
#ifndef VLIFT_BENCH_INTERRUPT_H
#define VLIFT_BENCH_INTERRUPT_H
#include <stdbool.h>

void interrupt_install(void);      /* SIGINT and SIGTERM handlers; SIGPIPE ignored */
void interrupt_uninstall(void);    /* the default dispositions again */
bool interrupt_requested(void);
int interrupt_signal(void);        /* the signal received, or 0 */

#endif
