/* interrupt: see interrupt.h. */
#include "bench/interrupt.h"
#include <signal.h>
#include <string.h>

/* The only state a signal handler touches. */
static volatile sig_atomic_t interrupt_received_signal;

static void on_signal(int sig) { interrupt_received_signal = sig; }

void interrupt_install(void) {
    interrupt_received_signal = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

void interrupt_uninstall(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
}

bool interrupt_requested(void) { return interrupt_received_signal != 0; }

int interrupt_signal(void) { return (int)interrupt_received_signal; }
