/*
 * monitor.h: a sampler of /proc, on its own thread, for a load run.  Every
 * period (100 ms by default) it reads the server and all its descendants
 * (summed: /proc/PID/stat, status, io, fd), each labelled process given
 * beside it (a database: "redis") with its descendants, and pacer itself,
 * and appends one row per process tree to a time series.  Counters are
 * kept cumulative in the rows (CPU seconds, context switches, I/O bytes);
 * rates are derived when the series is summarised or written.
 *
 * Each row but pacer's also counts the tree's TCP sockets (its
 * descriptors matched against the TCP tables, read once per sample for
 * all trees; netstat.h):
 * listening, established by port (inbound on a port the tree listens on,
 * else outbound by the remote port: the app's connections to redis's
 * 6379), and in other states.  TIME_WAIT belongs to no process: it is
 * counted machine-wide in the "net" series, beside the bytes and packets
 * of the interfaces (/proc/net/dev: lo, and the sum of the others).
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

/* A process sampled beside the server, as its own tree and series under
 * its label (letters, digits, '-', '_', '.'; not "server", "pacer" nor
 * "net"). */
struct mon_proc {
    const char *label;
    pid_t pid;
};

/* The TCP sockets of a tree in one sample. */
#define MON_NPORTS 8
struct mon_port {
    int32_t port;             /* inbound: the local port; outbound: the remote one */
    int32_t inbound;          /* 1: accepted on a port the tree listens on */
    int64_t count;            /* established connections */
};
struct mon_tcp {
    int known;                /* 0: not read (rows of older files, or the
                                 tree's descriptors were not readable) */
    int64_t listen;           /* listening sockets */
    int64_t established;      /* every established connection, those of
                                 the ports beyond ports[] too */
    int64_t other;            /* in other states (SYN_SENT, CLOSE_WAIT,
                                 FIN_WAIT...) */
    size_t nports;
    struct mon_port ports[MON_NPORTS];   /* most connections first */
};

struct mon_row {
    double t;                 /* seconds since monitor_start */
    double cpu_user, cpu_sys; /* cumulative CPU seconds of the tree */
    int64_t rss;              /* bytes, summed over the tree */
    int64_t threads;
    int64_t fds;
    int64_t vol_ctxsw, invol_ctxsw;   /* cumulative */
    int64_t read_bytes, write_bytes;  /* cumulative (rchar/wchar), -1 unknown */
    int64_t procs;            /* processes in the tree */
    struct mon_tcp tcp;
};

/* The machine's network in one sample (/proc/net/dev), cumulative but
 * time_wait; -1 unknown. */
struct mon_net_row {
    double t;                 /* seconds since monitor_start */
    int64_t lo_rx_bytes, lo_tx_bytes, lo_rx_packets, lo_tx_packets;
    int64_t rx_bytes, tx_bytes, rx_packets, tx_packets;   /* every other interface */
    int64_t time_wait;        /* TCP sockets in TIME_WAIT (a level) */
};

struct mon_net {
    struct mon_net_row *rows;
    size_t n, cap;
};

/* A series' connections over a window: per port the most seen in one
 * row and the mean over the rows that were read. */
struct mon_tcp_summary {
    size_t rows;              /* rows with tcp known; 0: nothing below */
    double listen_max, established_max, established_mean, other_max;
    size_t nports;
    struct {
        int32_t port, inbound;
        double max, mean;
    } ports[MON_NPORTS];      /* by max, most first */
};

/* The network over a window: rates per second (-1 unknown). */
struct mon_net_summary {
    double duration;
    double lo_rx_bytes_per_s, lo_tx_bytes_per_s, lo_rx_packets_per_s, lo_tx_packets_per_s;
    double rx_bytes_per_s, tx_bytes_per_s, rx_packets_per_s, tx_packets_per_s;
    double time_wait_max;
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
    struct mon_series *series;   /* the server if any, the labelled
                                    processes, then pacer (last) */
    size_t nseries;
    struct mon_net net;          /* the machine's network */
    void *tables;                /* the TCP tables (netstat.h), reused */
    uint64_t tcp_next;           /* when to read them next (a budget) */
    pthread_t thread;
    pthread_mutex_t lock;
    int running, stop;
    uint64_t t0;
};

/* One reading of pid and its descendants into row (t left 0), its TCP
 * sockets counted.  Returns 0, -1 when pid does not exist. */
int proc_read_tree(pid_t pid, struct mon_row *row);

/* Start sampling pid (0: none) and pacer itself every period_ns (0: 100
 * ms), first row at once.  -1 with the cause in e (no such process, thread
 * creation failed). */
int monitor_start(struct monitor *m, pid_t pid, uint64_t period_ns, struct err *e);
/* The same, with the nprocs labelled processes of procs (borrowed: the
 * labels are copied) sampled as their own trees.  -1 with the cause in e
 * naming the label: a bad or repeated label, no such process. */
int monitor_start_procs(struct monitor *m, pid_t pid, const struct mon_proc *procs,
                        size_t nprocs, uint64_t period_ns, struct err *e);
/* "NAME=PID" (the command line's --monitor) appended to *procs (*n of
 * them; grown here, the label a new copy).  -1 with the cause in e and
 * *procs as it was: "expected NAME=PID", a bad label, a label given
 * before, a pid that is not a whole number above 0, out of memory. */
int mon_procs_add(struct mon_proc **procs, size_t *n, const char *spec, struct err *e);
/* 0 when every label of procs[0..n) is good and given once and every pid
 * above 0, else -1 with "monitor: ..." in e. */
int mon_procs_check(const struct mon_proc *procs, size_t n, struct err *e);
/* Free what mon_procs_add made. */
void mon_procs_free(struct mon_proc *procs, size_t n);
/* 0 when label (len bytes) may name a series, else -1 with why in e. */
int mon_label_check(const char *label, size_t len, struct err *e);
/* Take a last row, stop the thread.  The series stay readable. */
void monitor_stop(struct monitor *m);
void monitor_free(struct monitor *m);

/* The series of that label, or NULL. */
const struct mon_series *monitor_series(const struct monitor *m, const char *label);
/* Summarise the rows with t in [from, to] seconds (to < 0: to the end). */
void mon_summarise(const struct mon_series *s, double from, double to, struct mon_summary *out);
/* The connections of the n rows with t in [from, to] (to < 0: to the end). */
void mon_tcp_summarise(const struct mon_row *rows, size_t n, double from, double to,
                       struct mon_tcp_summary *out);
/* The network's rates over the rows with t in [from, to]. */
void mon_net_summarise(const struct mon_net_row *rows, size_t n, double from, double to,
                       struct mon_net_summary *out);

#endif
