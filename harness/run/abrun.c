/* abrun.c: paired A/B samples from two resident workers (abrun.h). */
#include "abrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "harness/lib/clock.h"
#include "harness/result/series.h"
#include "query.h"

#define STOP_GRACE_NS 2000000000ULL

struct side {
    const char *binary;
    struct child c;
    struct bench *b;
    struct series ser;
    struct proc_ref pr;           /* this worker's reference rounds */
    int no_cpu;                   /* its libpacer does not give CPU times */
};

/* One pair of worker processes under way. */
struct pair {
    struct side *sd;              /* the two sides: base, new */
    const struct run_opts *o;
    const struct listed *li;
    uint64_t deadline;
    uint64_t iters;               /* the iteration count of every sample */
    unsigned swap;                /* 1: the new side goes first */
    int failed;                   /* the side that failed, or -1 */
};

/* Record that side i failed in stage (f, e) as its error; f. */
static enum child_fail side_failed(struct pair *pp, int i, enum child_fail f,
                                   const struct err *e, const char *stage)
{
    runner_record(pp->sd[i].b, &pp->sd[i].c, f, e, stage, &pp->o->set);
    pp->failed = i;
    return f;
}

/* Start both workers. */
static enum child_fail pair_start(struct pair *pp)
{
    struct err e = {0};
    unsigned k;
    int i;

    for (k = 0; k < 2; k++) {
        i = (int)(k ^ pp->swap);
        if (child_start(&pp->sd[i].c, pp->sd[i].binary, &e) < 0) {
            bench_set_error(pp->sd[i].b, "%s", e.msg);
            pp->failed = i;
            return CHILD_PROTOCOL;
        }
    }
    return CHILD_OK;
}

/* One request to side i. */
typedef enum child_fail (*side_request)(struct pair *pp, int i, struct err *e);

/* The request to both sides, the one swap names first; the first failure
 * is recorded as in stage. */
static enum child_fail pair_ask(struct pair *pp, side_request ask, const char *stage)
{
    struct err e = {0};
    enum child_fail f;
    unsigned k;

    for (k = 0; k < 2; k++) {
        int i = (int)(k ^ pp->swap);
        if ((f = ask(pp, i, &e)) != CHILD_OK)
            return side_failed(pp, i, f, &e, stage);
    }
    return CHILD_OK;
}

static enum child_fail ask_select(struct pair *pp, int i, struct err *e)
{
    return query_select(&pp->sd[i].c, pp->li->name, pp->deadline, e);
}

static enum child_fail ask_setup(struct pair *pp, int i, struct err *e)
{
    return query_plain(&pp->sd[i].c, "setup", pp->deadline, e);
}

/* In the first worker pair both sides calibrate, so both did the same
 * work before their samples; every pair then runs the base's count. */
static enum child_fail ask_calibrate(struct pair *pp, int i, struct err *e)
{
    uint64_t got = 0;
    enum child_fail f = query_calibrate(&pp->sd[i].c, runner_sample_target(pp->o),
                                          pp->deadline, &got, e);

    if (f == CHILD_OK && i == 0)
        pp->iters = got;
    return f;
}

/* Both sides warm up at the fixed count at once: nothing is measured
 * while they do, so on a machine with two cores the warmup costs the wall
 * time of one. */
static enum child_fail pair_warmup(struct pair *pp)
{
    struct warmup_answer wa;
    struct err e = {0};
    enum child_fail f;
    unsigned k;
    int i;

    for (k = 0; k < 2; k++) {
        i = (int)(k ^ pp->swap);
        if ((f = query_warmup_send(&pp->sd[i].c, pp->iters, pp->o->set.warmup_ns,
                                   runner_sample_target(pp->o), 1, &e)) != CHILD_OK)
            return side_failed(pp, i, f, &e, "warmup");
    }
    for (k = 0; k < 2; k++) {
        i = (int)(k ^ pp->swap);
        if ((f = query_warmup_reply(&pp->sd[i].c, pp->deadline, &wa, &e)) != CHILD_OK)
            return side_failed(pp, i, f, &e, "warmup");
    }
    return CHILD_OK;
}

/* Rounds of the reference workload, the machine's speed beside the pairs. */
static enum child_fail ask_reference(struct pair *pp, int i, struct err *e)
{
    return query_reference(&pp->sd[i].c, pp->deadline, &pp->sd[i].pr, e);
}

/* Each side's reference medians into its bench. */
static enum child_fail keep_reference(struct pair *pp)
{
    struct err e = {0};
    int i;

    for (i = 0; i < 2; i++)
        if (query_reference_keep(&pp->sd[i].pr, pp->sd[i].b) < 0) {
            err_set(&e, "out of memory");
            return side_failed(pp, i, CHILD_PROTOCOL, &e, "reference");
        }
    return CHILD_OK;
}

/* npairs pairs of samples in ABBA order: AB, BA, AB, BA, ... */
static enum child_fail pair_sample(struct pair *pp, unsigned npairs)
{
    struct err e = {0};
    enum child_fail f;
    unsigned k;
    int i;

    for (k = 0; k < npairs; k++) {
        int order = k % 2;
        for (i = 0; i < 2; i++) {
            struct side *sdi = &pp->sd[i ^ order];
            if ((f = query_samples(&sdi->c, pp->iters, 1, pp->deadline, &sdi->ser, sdi->b,
                                     &e)) != CHILD_OK ||
                (f = query_cpu(&sdi->c, 1, pp->iters, pp->deadline, sdi->b, &sdi->no_cpu,
                               &e)) != CHILD_OK)
                return side_failed(pp, (int)(sdi - pp->sd), f, &e, "sampling");
        }
    }
    return CHILD_OK;
}

/* Tear both down and let them exit. */
static enum child_fail pair_stop(struct pair *pp)
{
    struct err e = {0};
    enum child_fail f;
    int i;

    for (i = 0; i < 2; i++)
        if ((f = query_plain(&pp->sd[i].c, "teardown", pp->deadline, &e)) != CHILD_OK)
            return side_failed(pp, i, f, &e, "teardown");
    for (i = 0; i < 2; i++)
        if (child_stop(&pp->sd[i].c, STOP_GRACE_NS, &e) < 0)
            return side_failed(pp, i, CHILD_DIED, &e, "exit");
    return CHILD_OK;
}

/* One pair of worker processes: select, setup, (calibrate), warmup, npairs
 * ABBA pairs, teardown, stop.  Which side starts, sets up and warms up
 * first alternates between worker pairs (swap), so no side is always the
 * one that went first.  *failed gets the failing side (or stays -1). */
static enum child_fail pair_process(struct side sd[2], const struct listed *li,
                                    const struct run_opts *o, int first, uint64_t *iters,
                                    unsigned npairs, unsigned swap, int *failed)
{
    struct pair pp = {sd, o, li, clock_now_ns() + o->set.timeout_ns, *iters, swap, -1};
    enum child_fail f;

    memset(&sd[0].pr, 0, sizeof sd[0].pr);
    memset(&sd[1].pr, 0, sizeof sd[1].pr);
    if ((f = pair_start(&pp)) == CHILD_OK &&
        (f = pair_ask(&pp, ask_select, "select")) == CHILD_OK &&
        (f = pair_ask(&pp, ask_setup, "setup")) == CHILD_OK &&
        (!first || (f = pair_ask(&pp, ask_calibrate, "calibration")) == CHILD_OK) &&
        (f = pair_warmup(&pp)) == CHILD_OK &&
        (f = pair_ask(&pp, ask_reference, "reference")) == CHILD_OK &&
        (f = pair_sample(&pp, npairs)) == CHILD_OK &&
        (f = pair_ask(&pp, ask_reference, "reference")) == CHILD_OK &&
        (f = keep_reference(&pp)) == CHILD_OK)
        f = pair_stop(&pp);
    *iters = pp.iters;
    if (pp.failed >= 0)
        *failed = pp.failed;
    return f;
}

int abrun_micro(const char *base_bin, const char *new_bin, const char *suite,
                const struct listed *li, const struct run_opts *o, struct bench *bb,
                struct bench *nb)
{
    const struct settings *set = &o->set;
    struct side sd[2] = {{.binary = base_bin, .b = bb}, {.binary = new_bin, .b = nb}};
    unsigned pairs = set->samples ? set->samples : 30, k = set->processes ? set->processes : 1;
    unsigned p, np;
    enum child_fail f = CHILD_OK;
    uint64_t iters = 0;
    size_t *counts = NULL, ncounts = 0;
    int i, failed = -1, interrupted;

    runner_bench_init(bb, base_bin, suite, li);
    runner_bench_init(nb, new_bin, suite, li);
    if (k > pairs)
        k = pairs;
    if (k > 1)
        counts = calloc(k, sizeof *counts);
    /* k worker pairs in turn, each with its own memory layout; the pairs
     * they give are clusters for the analysis. */
    for (p = 0; p < k && failed < 0 && f != CHILD_INTERRUPTED; p++) {
        size_t before = sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n;
        np = pairs / k + (p < pairs % k);
        f = pair_process(sd, li, o, p == 0, &iters, np, p % 2, &failed);
        for (i = 0; i < 2; i++) {
            child_kill(&sd[i].c);
            child_free(&sd[i].c);
        }
        if (counts)
            counts[ncounts++] = (sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n) - before;
        if (child_interrupted)
            f = CHILD_INTERRUPTED;
    }
    interrupted = f == CHILD_INTERRUPTED;
    /* The other side cannot pair with a failed one; one that skipped
     * itself skips the pair (not a failure). */
    if (failed >= 0 && sd[failed].b->skipped && !sd[!failed].b->error &&
        !sd[!failed].b->skipped && !(sd[!failed].b->skipped = strdup(sd[failed].b->skipped)))
        bench_set_error(sd[!failed].b, "out of memory");
    else if (failed >= 0 && !sd[!failed].b->error && !sd[!failed].b->skipped)
        bench_set_error(sd[!failed].b, "its %s side failed: no pairs", failed ? "new" : "base");
    for (i = 0; i < 2; i++) {
        struct stats_opts so;
        /* Keep whole pairs only. */
        sd[i].b->samples = sd[i].ser.x;
        sd[i].b->nsamples = sd[0].ser.n < sd[1].ser.n ? sd[0].ser.n : sd[1].ser.n;
        for (size_t j = 0; j < sd[i].b->nmetrics; j++)
            if (sd[i].b->metrics[j].nsamples > sd[i].b->nsamples)
                sd[i].b->metrics[j].nsamples = sd[i].b->nsamples;
        sd[i].b->iterations = iters ? iters : 1;
        sd[i].b->processes = k;
        if (counts && ncounts >= 2) {
            sd[i].b->proc_samples = malloc(ncounts * sizeof *counts);
            if (sd[i].b->proc_samples) {
                memcpy(sd[i].b->proc_samples, counts, ncounts * sizeof *counts);
                sd[i].b->nproc_samples = ncounts;
            }
        }
        stats_opts_default(&so);
        so.seed = set->seed;
        so.ci_level = set->ci_level;
        bench_compute_stats(sd[i].b, &so);
    }
    free(counts);
    return interrupted ? -1 : 0;
}
