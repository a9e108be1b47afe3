/* progress: see progress.h. */
#include "bench/progress.h"
#include "util/timing.h"
#include <string.h>
#include <unistd.h>

void progress_init(progress *p, FILE *out, size_t total, bool quiet) {
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    p->out = out;
    p->tty = isatty(fileno(out));
    p->quiet = quiet;
    p->total = total;
    p->started = time_now();
}

static void format_duration(double s, char *buf, size_t size) {
    if (!(s >= 0)) s = 0;
    int t = s > 359999 ? 359999 : (int)(s + 0.5);   /* 99:59:59 at most */
    if (t >= 3600) snprintf(buf, size, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, size, "%02d:%02d", t / 60, t % 60);
}

static void draw_line(progress *p) {
    double elapsed = time_now() - p->started;
    char e[32], eta[32] = "--:--";
    format_duration(elapsed, e, sizeof e);
    if (p->done > 0 && p->done < p->total)
        format_duration(elapsed / (double)p->done * (double)(p->total - p->done), eta, sizeof eta);
    else if (p->done >= p->total)
        snprintf(eta, sizeof eta, "00:00");
    fprintf(p->out, "\r[%zu/%zu] verified %zu, lifted %zu, failed %zu, elapsed %s, ETA %s\033[K", p->done, p->total,
            p->verified, p->lifted, p->failed, e, eta);
    fflush(p->out);
}

void progress_job(progress *p, const char *label, job_status status, const char *stage, double seconds,
                  const char *message) {
    pthread_mutex_lock(&p->lock);
    p->done++;
    if (status == ST_VERIFIED) p->verified++;
    else if (status == ST_LIFTED) p->lifted++;
    else p->failed++;
    if (!p->quiet) {
        if (p->tty) {
            draw_line(p);
        } else {
            fprintf(p->out, "[%zu/%zu] %s: %s%s%s %.2f s", p->done, p->total, label, status_name(status),
                    stage && *stage ? " in " : "", stage ? stage : "", seconds);
            if (message && *message && !status_solved(status)) {
                int n = (int)strcspn(message, "\n");
                fprintf(p->out, " (%.*s%s)", n > 120 ? 120 : n, message, n > 120 || message[n] ? "..." : "");
            }
            fputc('\n', p->out);
            fflush(p->out);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_tick(progress *p) {
    pthread_mutex_lock(&p->lock);
    if (p->tty && !p->quiet) draw_line(p);
    pthread_mutex_unlock(&p->lock);
}

void progress_finish(progress *p) {
    pthread_mutex_lock(&p->lock);
    if (p->tty && !p->quiet) {
        draw_line(p);
        fputc('\n', p->out);
        fflush(p->out);
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_free(progress *p) { pthread_mutex_destroy(&p->lock); }
