/* timing: monotonic wall-clock and process CPU time in seconds. */
#ifndef VLIFT_TIMING_H
#define VLIFT_TIMING_H
double time_now(void);      /* CLOCK_MONOTONIC */
double time_cpu(void);      /* CLOCK_PROCESS_CPUTIME_ID */
#endif
