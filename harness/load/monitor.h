/*
 * monitor.h: a sampler of /proc, on its own thread, for a load run.  Every
 * period (100 ms by default) it reads a process and all its descendants
 * (summed: /proc/PID/stat, status, io, fd) and pacer itself, and appends one
 * row per process tree to a time series.  Counters are kept cumulative in
 * the rows (CPU seconds, context switches, I/O bytes); rates are derived
 * when the series is summarised or written.
 *
 * A process tree that goes away ends its series (`gone` is set); the
 * sampler never fails a run.  Fields that cannot be read (/proc/PID/io of
 * another user) are -1.
 */
#ifndef PACER_MONITOR_H
#define PACER_MONITOR_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/lib/err.h"

struct mon_row {
    double t;                 /* seconds since monitor_start */
    double cpu_user, cpu_sys; /* cumulative CPU seconds of the tree */
    int64_t rss;              /* bytes, summed over the tree */
    int64_t threads;
    int64_t fds;
    int64_t vol_ctxsw, invol_ctxsw;   /* cumulative */
    int64_t read_bytes, write_bytes;  /* cumulative (rchar/wchar), -1 unknown */
    int64_t procs;            /* processes in the tree */
};

struct mon_series {
    char *label;              /* "server", "pacer" */
    pid_t pid;
    struct mon_row *rows;
    size_t n, cap;
    int gone;
};

/* What a series comes to: CPU as cores used (CPU seconds per second; 1.0
 * is one core busy), means and maxima over the rows. */
struct mon_summary {
    double duration;          /* seconds covered */
    double cpu_mean, cpu_max; /* user+sys, cores; cpu_max over one period */
    double cpu_user_mean, cpu_sys_mean;
    double rss_mean, rss_max; /* bytes */
    double threads_max, fds_max;
    double ctxsw_per_s, invol_ctxsw_per_s;
    double read_bytes_per_s, write_bytes_per_s;   /* -1 unknown */
};

struct monitor {
    uint64_t period_ns;
    struct mon_series *series;   /* [0]: the monitored process if any, then pacer */
    size_t nseries;
    pthread_t thread;
    pthread_mutex_t lock;
    int running, stop;
    uint64_t t0;
};

/* One reading of pid and its descendants into row (t left 0).  Returns 0,
 * -1 when pid does not exist. */
int proc_read_tree(pid_t pid, struct mon_row *row);

/* Start sampling pid (0: none) and pacer itself every period_ns (0: 100
 * ms), first row at once.  -1 with the cause in e (no such process, thread
 * creation failed). */
int monitor_start(struct monitor *m, pid_t pid, uint64_t period_ns, struct err *e);
/* Take a last row, stop the thread.  The series stay readable. */
void monitor_stop(struct monitor *m);
void monitor_free(struct monitor *m);

/* The series of that label, or NULL. */
const struct mon_series *monitor_series(const struct monitor *m, const char *label);
/* Summarise the rows with t in [from, to] seconds (to < 0: to the end). */
void mon_summarise(const struct mon_series *s, double from, double to, struct mon_summary *out);

#endif
