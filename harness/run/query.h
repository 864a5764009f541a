/*
 * query.h: the driver's queries to a worker process (the worker protocol of
 * harness/lib/worker.h, over child.h): each sends one request line and
 * reads its answer into typed values.  A malformed answer is CHILD_PROTOCOL
 * with the cause in e; other failures are child_call's.
 */
#ifndef PACER_QUERY_H
#define PACER_QUERY_H

#include <stdint.h>

#include "child.h"
#include "harness/lib/err.h"
#include "harness/result/result.h"
#include "harness/result/series.h"

/* What a warmup answers. */
struct warmup_answer {
    uint64_t iters;          /* the iteration count (changed only when not fixed) */
    uint64_t samples;        /* samples the warmup took */
    int settled;             /* they settled before the warmup time ran out */
    uint64_t median_ns;      /* the median sample time of its last ones */
};

/* "select NAME": the benchmark the next requests are about. */
enum child_fail query_select(struct child *c, const char *name, uint64_t deadline,
                               struct err *e);
/* "setup", "teardown" or another request whose answer is a bare "ok". */
enum child_fail query_plain(struct child *c, const char *req, uint64_t deadline,
                              struct err *e);
/* "calibrate": the iteration count whose sample lasts target_ns, into *iters. */
enum child_fail query_calibrate(struct child *c, uint64_t target_ns, uint64_t deadline,
                                  uint64_t *iters, struct err *e);
/* "warmup" at iters iterations for warmup_ns (fixed: the count may not
 * change), samples aimed at target_ns. */
enum child_fail query_warmup(struct child *c, uint64_t iters, uint64_t warmup_ns,
                               uint64_t target_ns, int fixed, uint64_t deadline,
                               struct warmup_answer *a, struct err *e);
/* query_warmup in two halves (child_send, child_reply): pacer ab warms
 * both sides of a pair at once. */
enum child_fail query_warmup_send(struct child *c, uint64_t iters, uint64_t warmup_ns,
                                  uint64_t target_ns, int fixed, struct err *e);
enum child_fail query_warmup_reply(struct child *c, uint64_t deadline, struct warmup_answer *a,
                                   struct err *e);
/* "sample": n samples of iters iterations, appended to s as times per
 * iteration; the bytes and items per iteration into b.  Those that came
 * stay in s also when there are fewer than asked ("asked for N samples,
 * got M"). */
enum child_fail query_samples(struct child *c, uint64_t iters, unsigned n, uint64_t deadline,
                                struct series *s, struct bench *b, struct err *e);

/* "count": n samples of iters iterations under callgrind (--mode
 * instructions), their instructions per iteration appended to s and their
 * estimated cycles per iteration to b's metric QUERY_CYCLES_METRIC
 * (harness/lib/counts.h); prefix is the dump files' (callgrind's
 * --callgrind-out-file without ".%p"). */
#define QUERY_CYCLES_METRIC "cycles"
/* ... and the share of each sample's wall time the worker waited (did
 * not run: sleeps, I/O, locks), which counts leave out. */
#define QUERY_WAITED_METRIC "waited"
enum child_fail query_count(struct child *c, uint64_t iters, unsigned n, const char *prefix,
                            uint64_t deadline, struct series *s, struct bench *b,
                            struct err *e);

/* "counters LIST" (perf counters around each sample, hwcount.h): 0, or
 * the failure. */
enum child_fail query_counters(struct child *c, const char *list, uint64_t deadline,
                               struct err *e);
/* "hw": the counters of list in each of the last n samples of iters
 * iterations, per iteration, appended to b's metrics "hw.NAME". */
enum child_fail query_hw(struct child *c, const char *list, unsigned n, uint64_t iters,
                         uint64_t deadline, struct bench *b, struct err *e);

/* The metric the CPU times of micro samples go to (ns per iteration). */
#define QUERY_CPU_METRIC "cpu"

/* "cn": the n of .complexity (pacer.h) of the last samples into
 * b->complexity_n. */
enum child_fail query_complexity_n(struct child *c, uint64_t deadline, struct bench *b,
                                   struct err *e);

/* "user": the user counters (pacer_counter) of the last batch's n
 * samples, appended to b's counters of their names (made when first seen).
 * start is the index of the batch's first sample among all of b's: a
 * counter missing from earlier samples is padded with NaN up to it, so that
 * bench_compute_stats drops it.  Older workers refuse the request:
 * *absent is then set, as for query_cpu. */
enum child_fail query_user(struct child *c, unsigned n, size_t start, uint64_t deadline,
                           struct bench *b, int *absent, struct err *e);

/* "cpu": the CPU time of each of the last batch's n samples of iters
 * iterations, appended to b's metric QUERY_CPU_METRIC (made on the first
 * call) as ns per iteration.  A worker linked with an older libpacer
 * refuses the request: *absent is then set and CHILD_OK returned; nothing
 * is asked while *absent is set. */
enum child_fail query_cpu(struct child *c, unsigned n, uint64_t iters, uint64_t deadline,
                          struct bench *b, int *absent, struct err *e);

/* The metric the run-queue waits of micro samples go to (ns per
 * iteration): how long the sample waited for a core. */
#define QUERY_WAIT_METRIC "wait"

/* "wait": each of the last batch's samples' wait for a core, appended to
 * b's metric QUERY_WAIT_METRIC as query_cpu does; a worker that cannot say
 * (older, or a kernel without schedstat) sets *absent. */
enum child_fail query_wait(struct child *c, unsigned n, uint64_t iters, uint64_t deadline,
                           struct bench *b, int *absent, struct err *e);

/* The reference workload's rounds a process runs after its warmup and again
 * after its samples (harness/lib/refwork.h). */
#define QUERY_REF_ROUNDS 3

/* Times of the reference workload a worker process ran around its samples:
 * what query_reference gathers, then their medians. */
struct proc_ref {
    double compute[2 * QUERY_REF_ROUNDS], memory[2 * QUERY_REF_ROUNDS];
    unsigned n;              /* rounds gathered */
    int absent;              /* the worker predates the request */
};

/* "reference": QUERY_REF_ROUNDS rounds of the reference workload appended
 * to r.  A worker linked with an older libpacer refuses the request: r is
 * then marked absent and CHILD_OK returned. */
enum child_fail query_reference(struct child *c, uint64_t deadline, struct proc_ref *r,
                                struct err *e);
/* The medians of r's rounds into b's per-process reference (none when r
 * gathered nothing); -1 when out of memory. */
int query_reference_keep(const struct proc_ref *r, struct bench *b);

#endif
